/**
 * The manifest's checksum: CRC-32 by default, sha256 on request, sha256-only manifests of older
 * writers still verified; a damaged byte is caught either way, async and sync. And the local
 * fast path: on the disk a file is saved and loaded through the adapter's `putFile`/`getToFile`
 * (kernel copies, summed alongside), while a storage without them is streamed. Real disk and
 * memfs throughout; the call counts come from a pass-through view of a real adapter.
 */
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import * as nodeFs from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 as nativeCrc32, gzipSync } from "node:zlib";
import { PosixStorage, isFileStorage, memoryVolume } from "@flyte/storage-adapters";
import type { Storage } from "@flyte/storage-adapters";
import {
  Checkpoint,
  CheckpointChecksumError,
  CheckpointConfigurationError,
  CheckpointCorruptError,
  manifestKey,
} from "@flyte/checkpoint";
import type { CheckpointManifest, CheckpointOptions } from "@flyte/checkpoint";
import { crc32, crc32Js } from "../src/checksum/crc32.js";
import { gunzipFileSync } from "../src/gzip/gunzipFileSync.js";
import { faultyStorage } from "./helpers/faultyStorage.js";
import { python } from "./helpers/python.js";
import { describeTree, makeSampleTree } from "./helpers/tree.js";

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "cp-sum-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
const fresh = (): string => join(root, `case-${++n}`);
const quiet = { onWarning: () => undefined };
type Mode = "async" | "sync";
const modes: Mode[] = ["async", "sync"];
const load = async (cp: Checkpoint, mode: Mode): Promise<string | undefined> =>
  mode === "async" ? cp.load() : cp.loadSync();
const save = async (cp: Checkpoint, mode: Mode, data: Uint8Array | string): Promise<void> =>
  mode === "async" ? cp.save(data) : cp.saveSync(data);
const manifestOf = (object: string): CheckpointManifest =>
  JSON.parse(readFileSync(manifestKey(object), "utf8")) as CheckpointManifest;

/** Flips one byte of a file in place and puts its nanosecond times back, so the disk etag cannot tell (bit rot). */
function rot(file: string, at: number): void {
  const before = statSync(file, { bigint: true });
  const fd = openSync(file, "r+");
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, at);
  b[0] = b[0]! ^ 0x10;
  writeSync(fd, b, 0, 1, at);
  closeSync(fd);
  python(
    `import os, sys; os.utime(sys.argv[1], ns=(int(sys.argv[2]), int(sys.argv[3])))`,
    file,
    String(before.atimeNs),
    String(before.mtimeNs),
  );
}

describe("CRC-32", () => {
  test("the JavaScript fallback agrees with zlib's, whole and in chunks", () => {
    const data = randomBytes(100_003);
    const whole = nativeCrc32(data);
    expect(crc32Js(data)).toBe(whole);
    expect(crc32(data)).toBe(whole);
    let running = 0;
    for (let i = 0; i < data.length; i += 7919)
      running = crc32Js(data.subarray(i, i + 7919), running);
    expect(running).toBe(whole);
    expect(crc32Js(new Uint8Array(0))).toBe(0);
    expect(crc32Js(Buffer.from("123456789"))).toBe(0xcbf43926); // the standard check value
  });
});

describe.each(modes)("manifest checksums (%s)", (mode) => {
  test.each([
    ["bytes", (): Uint8Array => Buffer.from("some bytes to keep")],
    [
      "file",
      (): string => {
        const f = join(fresh(), "model.bin");
        nodeFs.mkdirSync(join(f, ".."), { recursive: true });
        writeFileSync(f, randomBytes(3 * 1024 * 1024 + 11));
        return f;
      },
    ],
    [
      "dir",
      (): string => {
        const d = fresh();
        makeSampleTree(d);
        return d;
      },
    ],
  ] as const)(
    "by default a %s checkpoint records crc32 only, and loads verified",
    async (_kind, make) => {
      const dest = fresh();
      const data = make();
      using w = new Checkpoint(dest, undefined, quiet);
      await save(w, mode, data);
      const m = manifestOf(dest);
      expect(m.crc32).toMatch(/^[0-9a-f]{8}$/);
      expect(m.sha256).toBeUndefined();
      expect(m.crc32).toBe(nativeCrc32(readFileSync(dest)).toString(16).padStart(8, "0"));
      expect(m.size).toBe(statSync(dest).size);
      using r = new Checkpoint(fresh(), dest, quiet);
      const path = (await load(r, mode))!;
      expect(r.lastLoad?.verified).toBe(true);
      if (typeof data === "string" && statSync(data).isDirectory())
        expect(describeTree(path)).toEqual(describeTree(data));
      else
        expect(
          readFileSync(path).equals(
            typeof data === "string" ? readFileSync(data) : Buffer.from(data),
          ),
        ).toBe(true);
    },
  );

  test('checksum: "sha256" records sha256 only, and loads verified', async () => {
    const dest = fresh();
    using w = new Checkpoint(dest, undefined, { ...quiet, checksum: "sha256" });
    await save(w, mode, Buffer.from("digest me"));
    const m = manifestOf(dest);
    expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.crc32).toBeUndefined();
    using r = new Checkpoint(fresh(), dest, quiet);
    expect(readFileSync((await load(r, mode))!, "utf8")).toBe("digest me");
    expect(r.lastLoad?.verified).toBe(true);
  });

  test.each(["crc32", "sha256"] as const)(
    "a byte rotted under a current manifest is CheckpointChecksumError (%s, file and dir)",
    async (checksum) => {
      const options: CheckpointOptions = { ...quiet, checksum };
      const file = join(fresh(), "state.bin");
      nodeFs.mkdirSync(join(file, ".."), { recursive: true });
      writeFileSync(file, randomBytes(2 * 1024 * 1024));
      const tree = fresh();
      makeSampleTree(tree);
      for (const source of [file, tree]) {
        const dest = fresh();
        using w = new Checkpoint(dest, undefined, options);
        await save(w, mode, source);
        rot(dest, Math.floor(statSync(dest).size / 2));
        using r = new Checkpoint(fresh(), dest, quiet);
        const error = await load(r, mode).catch((e: unknown) => e);
        // A directory's gzip may fail its own CRC first; both are corruption, and a raw file can only be caught by the manifest.
        expect(error).toBeInstanceOf(
          source === file ? CheckpointChecksumError : CheckpointCorruptError,
        );
        if (error instanceof CheckpointChecksumError) {
          expect(error.expected[checksum]).toBe(manifestOf(dest)[checksum]);
          expect(error.actual[checksum]).not.toBe(error.expected[checksum]);
          expect(error.message).toContain(checksum);
        }
      }
    },
  );

  test("an older writer's manifest (sha256 only) still loads verified, and a wrong one is caught", async () => {
    const dest = fresh();
    const content = Buffer.from("written by an older @flyte/checkpoint");
    writeFileSync(dest, content);
    const storage = new PosixStorage({ fs: nodeFs, root: "/" });
    const head = (await storage.head(dest.slice(1)))!;
    const sha = (await import("node:crypto")).createHash("sha256").update(content).digest("hex");
    const old = {
      version: 1,
      format: "bytes",
      size: content.length,
      sha256: sha,
      etag: head.etag,
      createdAt: new Date().toISOString(),
      writer: "@flyte/checkpoint",
    };
    writeFileSync(manifestKey(dest), JSON.stringify(old));
    using r = new Checkpoint(fresh(), dest, quiet);
    expect(readFileSync((await load(r, mode))!).equals(content)).toBe(true);
    expect(r.lastLoad?.verified).toBe(true);
    writeFileSync(
      manifestKey(dest),
      JSON.stringify({ ...old, sha256: sha.replace(/^./, sha[0] === "0" ? "1" : "0") }),
    );
    using r2 = new Checkpoint(fresh(), dest, quiet);
    await expect(load(r2, mode)).rejects.toBeInstanceOf(CheckpointChecksumError);
  });

  test("a manifest with both checksums is verified by sha256 (the strongest)", async () => {
    const dest = fresh();
    using w = new Checkpoint(dest, undefined, quiet);
    await save(w, mode, Buffer.from("both"));
    const m = manifestOf(dest);
    // A right crc32 does not save a wrong sha256.
    writeFileSync(manifestKey(dest), JSON.stringify({ ...m, sha256: "0".repeat(64) }));
    using r = new Checkpoint(fresh(), dest, quiet);
    await expect(load(r, mode)).rejects.toBeInstanceOf(CheckpointChecksumError);
  });

  test("a manifest with no checksum, or a malformed crc32, is CheckpointCorruptError", async () => {
    const dest = fresh();
    using w = new Checkpoint(dest, undefined, quiet);
    await save(w, mode, Buffer.from("x"));
    const m = manifestOf(dest);
    for (const bad of [
      { ...m, crc32: undefined },
      { ...m, crc32: "xyz" },
      { ...m, crc32: "ABCDEF01" },
    ]) {
      writeFileSync(manifestKey(dest), JSON.stringify(bad));
      using r = new Checkpoint(fresh(), dest, quiet);
      const error = await load(r, mode).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CheckpointCorruptError);
      expect(error).not.toBeInstanceOf(CheckpointChecksumError);
    }
  });
});

test("an unknown checksum option is refused at construction", () => {
  expect(() => new Checkpoint(fresh(), undefined, { checksum: "md5" as never })).toThrow(
    CheckpointConfigurationError,
  );
});

/** A pass-through view of a real storage that counts which operations a checkpoint used. */
function counted(real: Storage, calls: Record<string, number>): Storage {
  return new Proxy(real, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls[String(prop)] = (calls[String(prop)] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe("the local fast path", () => {
  const file = (): string => {
    const f = join(fresh(), "weights.bin");
    nodeFs.mkdirSync(join(f, ".."), { recursive: true });
    writeFileSync(f, randomBytes(5 * 1024 * 1024 + 3));
    return f;
  };

  test("on the disk, a file is saved with putFile and loaded with getToFile, verified, and the result is named payload", async () => {
    const store = fresh();
    const calls: Record<string, number> = {};
    const storage = counted(new PosixStorage({ fs: nodeFs, root: store }), calls);
    expect(isFileStorage(storage)).toBe(true);
    const source = file();
    using w = new Checkpoint("runs/cp", undefined, { ...quiet, storage });
    await w.save(source);
    expect(calls["putFile"]).toBe(1);
    expect(calls["putStream"]).toBeUndefined();
    using r = new Checkpoint("runs/next", "runs/cp", { ...quiet, storage });
    const path = (await r.load())!;
    expect(calls["getToFile"]).toBe(1);
    expect(calls["getStream"]).toBeUndefined();
    expect(path.endsWith("/payload")).toBe(true);
    expect(readFileSync(path).equals(readFileSync(source))).toBe(true);
    expect(r.lastLoad).toMatchObject({ format: "file", verified: true });
  });

  test("the sync twins on the disk save and load through putFileSync/getToFileSync, verified", () => {
    const store = fresh();
    const calls: Record<string, number> = {};
    const storage = counted(new PosixStorage({ fs: nodeFs, root: store }), calls);
    const source = file();
    using w = new Checkpoint("runs/cp", undefined, { ...quiet, storage });
    w.saveSync(source);
    expect(calls["putFileSync"]).toBe(1);
    using r = new Checkpoint("runs/next", "runs/cp", { ...quiet, storage });
    expect(readFileSync(r.loadSync()!).equals(readFileSync(source))).toBe(true);
    expect(calls["getToFileSync"]).toBe(1);
    expect(r.lastLoad?.verified).toBe(true);
  });

  test("a Python-written file (no manifest) takes the fast path too, unverified", async () => {
    const store = fresh();
    const calls: Record<string, number> = {};
    const storage = counted(new PosixStorage({ fs: nodeFs, root: store }), calls);
    await storage.put("py/cp", Buffer.from("raw bytes from python"));
    using r = new Checkpoint("py/next", "py/cp", { ...quiet, storage });
    expect(readFileSync((await r.load())!, "utf8")).toBe("raw bytes from python");
    expect(calls["getToFile"]).toBe(1);
    expect(r.lastLoad?.verified).toBe(false);
    // A Python-written directory archive is still streamed and extracted.
    const tree = fresh();
    makeSampleTree(tree);
    writeFileSync(join(store, "py", "dir"), gzipSync(Buffer.alloc(1024)));
    using r2 = new Checkpoint("py/next2", "py/dir", { ...quiet, storage });
    await r2.load();
    expect(r2.lastLoad?.format).toBe("dir");
  });

  test("a storage without putFile/getToFile is streamed instead, with the same manifest", async () => {
    const volume = memoryVolume(`cp-sum-${process.pid}-${++n}`);
    const real = new PosixStorage({ fs: volume, root: "/", scheme: "memory", singleProcess: true });
    // The same real storage, seen without the capability (as S3 and Azure are).
    const plain = faultyStorage(real, {});
    expect(isFileStorage(plain)).toBe(false);
    const calls: Record<string, number> = {};
    const storage = counted(plain, calls);
    const source = file();
    using w = new Checkpoint("runs/cp", undefined, { ...quiet, storage });
    await w.save(source);
    expect(calls["putStream"]).toBe(1);
    using r = new Checkpoint("runs/next", "runs/cp", { ...quiet, storage });
    expect(readFileSync((await r.load())!).equals(readFileSync(source))).toBe(true);
    expect(calls["getStream"]).toBe(1);
    expect(r.lastLoad?.verified).toBe(true);
    // And a file loaded through the capability on memfs matches it byte for byte.
    using r2 = new Checkpoint("runs/next2", "runs/cp", { ...quiet, storage: real });
    expect(readFileSync((await r2.load())!).equals(readFileSync(source))).toBe(true);
    expect(r2.lastLoad?.verified).toBe(true);
  });
});

describe("sync gunzip (a worker thread running zlib, public APIs only)", () => {
  const tar = Buffer.concat([randomBytes(300_000), Buffer.alloc(2_000_000, 7), randomBytes(123)]);
  const gz = gzipSync(tar);
  const inflate = (input: Uint8Array): Buffer => {
    const file = fresh();
    writeFileSync(file, input);
    const out: Buffer[] = [];
    gunzipFileSync(file, (c) => out.push(Buffer.from(c)));
    return Buffer.concat(out);
  };

  test("decodes byte for byte, concatenated members too (what gzip and Python read)", () => {
    expect(inflate(gz).equals(tar)).toBe(true);
    const members = Buffer.concat([gzipSync(tar.subarray(0, 1000)), gzipSync(tar.subarray(1000))]);
    expect(inflate(members).equals(tar)).toBe(true);
  });

  test("refuses a truncated stream, a bad CRC-32 and trailing bytes with zlib's Z_* code", () => {
    expect(() => inflate(gz.subarray(0, gz.length - 100))).toThrow(
      expect.objectContaining({ code: "Z_BUF_ERROR" }),
    );
    const bad = Buffer.from(gz);
    bad[bad.length - 6]! ^= 0xff; // in the CRC-32 trailer
    expect(() => inflate(bad)).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/^Z_/) }),
    );
    expect(() => inflate(Buffer.concat([gz, Buffer.from("appended bytes")]))).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/^Z_/) }),
    );
  });

  test("a consumer's error stops the worker and passes through unchanged", () => {
    const file = fresh();
    writeFileSync(file, gz);
    const mine = new Error("refused by the consumer");
    expect(() =>
      gunzipFileSync(file, () => {
        throw mine;
      }),
    ).toThrow(mine);
  });
});
