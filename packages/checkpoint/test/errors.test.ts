/**
 * `load` returns undefined only when there is no previous checkpoint; everything else is a
 * typed CheckpointError naming the URI. Faults are real where they can be (bytes damaged on
 * disk, objects rewritten behind the manifest's back) and injected into a real adapter where
 * they cannot (permission denied as root, a network fault that outlived retries).
 */
import {
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
  closeSync,
  readdirSync,
} from "node:fs";
import * as nodeFs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  PermissionDeniedError,
  PosixStorage,
  StorageConfigurationError,
  LazyStorage,
  TransientError,
  resolveStorage,
} from "@flyte/storage-adapters";
import type { Storage } from "@flyte/storage-adapters";
import {
  Checkpoint,
  CheckpointAccessError,
  CheckpointChecksumError,
  CheckpointConfigurationError,
  CheckpointCorruptError,
  CheckpointInputError,
  CheckpointStateError,
  CheckpointTooLargeError,
  CheckpointUnavailableError,
  manifestKey,
} from "@flyte/checkpoint";
import type { CheckpointError } from "@flyte/checkpoint";
import { faultyStorage } from "./helpers/faultyStorage.js";
import { python, pythonSaveDir } from "./helpers/python.js";
import { makeSampleTree } from "./helpers/tree.js";

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "cp-err-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
const fresh = (): string => join(root, `case-${++n}`);
const quiet = { onWarning: () => undefined };
type Mode = "async" | "sync";
const load = async (cp: Checkpoint, mode: Mode): Promise<string | undefined> =>
  mode === "async" ? cp.load() : cp.loadSync();

/** A Python-style (manifest-less) directory checkpoint on disk. */
function pythonDirObject(): string {
  const src = fresh();
  makeSampleTree(src);
  writeFileSync(join(src, "big.bin"), Buffer.alloc(200_000, 7));
  const object = `${fresh()}.ckpt`;
  python(pythonSaveDir, src, object);
  return object;
}

describe.each(["async", "sync"] as const)("no previous checkpoint (%s)", (mode) => {
  test.each([
    [""],
    ['""'],
    ["   "],
    [' "" '],
    ["{{.prevCheckpointPrefix}}"],
    ["s3://b/{{ .Attempt }}/cp"],
    [undefined],
  ])("source %p means none: load resolves undefined without touching storage", async (source) => {
    using cp = new Checkpoint(fresh(), source, quiet);
    expect(cp.remoteSource).toBeUndefined();
    expect(cp.prevExists()).toBe(false);
    expect(await load(cp, mode)).toBeUndefined();
  });

  test("a source that does not exist is not found: undefined, and prevExists still says a URI was given", async () => {
    using cp = new Checkpoint(fresh(), fresh(), quiet);
    expect(cp.prevExists()).toBe(true);
    expect(await load(cp, mode)).toBeUndefined();
  });

  test("an empty object with no manifest is no checkpoint (as in Python)", async () => {
    const object = fresh();
    writeFileSync(object, "");
    using cp = new Checkpoint(fresh(), object, quiet);
    expect(await load(cp, mode)).toBeUndefined();
  });
});

describe.each(["async", "sync"] as const)("damaged checkpoints throw typed errors (%s)", (mode) => {
  test("a truncated tar.gz (Python-written, no manifest) is CheckpointCorruptError naming the URI", async () => {
    const object = pythonDirObject();
    truncateSync(object, Math.floor(statSync(object).size / 2));
    using cp = new Checkpoint(fresh(), object, quiet);
    const error = await load(cp, mode).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointCorruptError);
    expect((error as CheckpointError).uri).toBe(object);
    expect((error as Error).message).toContain(object);
    // Nothing half-restored is left in the workspace.
    expect(readdirSync(cp.path)).toEqual([]);
  });

  test("a tar.gz with a flipped byte is CheckpointCorruptError (deflate or CRC-32 check)", async () => {
    const object = pythonDirObject();
    const bytes = readFileSync(object);
    bytes[bytes.length - 7]! ^= 0xff; // inside the CRC-32 trailer
    writeFileSync(object, bytes);
    using cp = new Checkpoint(fresh(), object, quiet);
    await expect(load(cp, mode)).rejects.toBeInstanceOf(CheckpointCorruptError);
    const middle = readFileSync(object);
    middle[Math.floor(middle.length / 2)]! ^= 0xff;
    middle[bytes.length - 7]! ^= 0xff;
    writeFileSync(object, middle);
    using cp2 = new Checkpoint(fresh(), object, quiet);
    await expect(load(cp2, mode)).rejects.toBeInstanceOf(CheckpointCorruptError);
  });

  test("bit rot under a current manifest (same inode, size and mtime) is CheckpointChecksumError", async () => {
    const dest = fresh();
    using writer = new Checkpoint(dest, undefined, quiet);
    await writer.save(Buffer.from("0123456789"));
    const before = statSync(dest, { bigint: true });
    const fd = openSync(dest, "r+");
    writeSync(fd, "X", 3);
    closeSync(fd);
    // Put the nanosecond mtime back so the storage's etag cannot tell (as with bit rot).
    python(
      `import os, sys; os.utime(sys.argv[1], ns=(int(sys.argv[2]), int(sys.argv[3])))`,
      dest,
      String(before.atimeNs),
      String(before.mtimeNs),
    );
    using cp = new Checkpoint(fresh(), dest, quiet);
    const error = await load(cp, mode).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointChecksumError);
    expect((error as CheckpointChecksumError).expected.size).toBe(10);
  });

  test("a manifest whose sha256 disagrees with its object is CheckpointChecksumError (memory://)", async () => {
    const id = ++n;
    const uri = `memory://err-${process.pid}/${id}/cp`;
    using writer = new Checkpoint(uri, undefined, quiet);
    const dir = fresh();
    makeSampleTree(dir);
    await writer.save(dir);
    const { storage, key } = resolveStorage(manifestKey(uri));
    const m = JSON.parse(Buffer.from(await storage.get(key)).toString("utf8"));
    m.sha256 = "0".repeat(64);
    await storage.put(key, JSON.stringify(m));
    using cp = new Checkpoint(fresh(), uri, quiet);
    await expect(load(cp, mode)).rejects.toBeInstanceOf(CheckpointChecksumError);
  });

  test("an unreadable manifest is CheckpointCorruptError", async () => {
    const dest = fresh();
    using writer = new Checkpoint(dest, undefined, quiet);
    await writer.save(Buffer.from("1"));
    writeFileSync(manifestKey(dest), "{not json");
    using cp = new Checkpoint(fresh(), dest, quiet);
    await expect(load(cp, mode)).rejects.toBeInstanceOf(CheckpointCorruptError);
  });

  test("an object rewritten behind the manifest's back is damage, never an interrupted save", async () => {
    const dest = fresh();
    using writer = new Checkpoint(dest, undefined, quiet);
    await writer.save(Buffer.from("11"));
    // Another writer replaced the object without a manifest (same size): no save does that.
    const storage = new PosixStorage({ fs: nodeFs, root: "/" });
    await storage.put(dest.slice(1), Buffer.from("12"));
    using cp = new Checkpoint(fresh(), dest, quiet);
    const error = await load(cp, mode).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointChecksumError);
    expect((error as CheckpointChecksumError).expected).toMatchObject({ size: 2 });
  });

  test("a version-1 manifest (written after its object by older releases) that names another object is stale: loads unverified, with a warning", async () => {
    const dest = fresh();
    writeFileSync(dest, "12");
    // What an older release wrote for the previous object: same size, another etag.
    writeFileSync(
      manifestKey(dest),
      JSON.stringify({
        version: 1,
        format: "bytes",
        size: 2,
        crc32: "00000000",
        etag: "an-earlier-object",
        createdAt: "2026-01-01T00:00:00Z",
        writer: "@flyte/checkpoint",
      }),
    );
    const warnings: string[] = [];
    using cp = new Checkpoint(fresh(), dest, { onWarning: (w) => warnings.push(w) });
    const path = await load(cp, mode);
    expect(readFileSync(path!, "utf8")).toBe("12");
    expect(cp.lastLoad?.verified).toBe(false);
    expect(warnings.join("\n")).toContain("earlier save");
  });
});

/** A disk PosixStorage whose keys are absolute paths without the leading slash. */
function disk(): PosixStorage {
  return new PosixStorage({ fs: nodeFs, root: "/" });
}
const keyOf = (path: string): string => path.slice(1);

describe.each(["async", "sync"] as const)("storage faults (%s)", (mode) => {
  test("permission denied on read is CheckpointAccessError, never a fresh start", async () => {
    const object = fresh();
    writeFileSync(object, "state");
    const storage = faultyStorage(disk(), {
      getStream: (k) => new PermissionDeniedError(`file:///${k}`),
      getToFileSync: (k) => new PermissionDeniedError(`file:///${k}`),
    });
    using cp = new Checkpoint(keyOf(fresh()), keyOf(object), { ...quiet, storage });
    const error = await load(cp, mode).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointAccessError);
    expect((error as CheckpointError).uri).toBe(keyOf(object));
    expect((error as Error).cause).toBeInstanceOf(PermissionDeniedError);
  });

  test("permission denied on head (the first look) is CheckpointAccessError too", async () => {
    const storage = faultyStorage(disk(), {
      head: (k) => new PermissionDeniedError(k),
      headSync: (k) => new PermissionDeniedError(k),
    });
    using cp = new Checkpoint(keyOf(fresh()), keyOf(fresh()), { ...quiet, storage });
    await expect(load(cp, mode)).rejects.toBeInstanceOf(CheckpointAccessError);
  });

  test("a network fault that outlived the adapter's retries is CheckpointUnavailableError", async () => {
    const object = pythonDirObject();
    const storage = faultyStorage(disk(), {
      getStream: (k) => new TransientError(k, "connection reset after 3 retries"),
      getToFileSync: (k) => new TransientError(k, "connection reset after 3 retries"),
    });
    using cp = new Checkpoint(keyOf(fresh()), keyOf(object), { ...quiet, storage });
    await expect(load(cp, mode)).rejects.toBeInstanceOf(CheckpointUnavailableError);
  });

  test("a missing bucket is a configuration error, not 'no checkpoint'", async () => {
    const storage = faultyStorage(disk(), {
      head: (k) =>
        new StorageConfigurationError(`s3://missing-bucket/${k}`, "bucket does not exist"),
      headSync: (k) =>
        new StorageConfigurationError(`s3://missing-bucket/${k}`, "bucket does not exist"),
    });
    using cp = new Checkpoint("cp", "prev", { ...quiet, storage });
    await expect(load(cp, mode)).rejects.toBeInstanceOf(CheckpointConfigurationError);
  });

  test("a save that fails in storage leaves the previous checkpoint intact", async () => {
    const dest = fresh();
    using good = new Checkpoint(dest, undefined, quiet);
    await good.save(Buffer.from("v1"));
    const storage = faultyStorage(disk(), {
      put: (k) => new TransientError(k),
      putStream: (k) => new TransientError(k),
      putSync: (k) => new TransientError(k),
      putFileSync: (k) => new TransientError(k),
    });
    using bad = new Checkpoint(keyOf(dest), undefined, { ...quiet, storage });
    const save = async (data: Uint8Array | string): Promise<void> =>
      mode === "async" ? bad.save(data) : bad.saveSync(data);
    await expect(save(Buffer.from("v2"))).rejects.toBeInstanceOf(CheckpointUnavailableError);
    const dir = fresh();
    makeSampleTree(dir);
    await expect(save(dir)).rejects.toBeInstanceOf(CheckpointUnavailableError);
    using reader = new Checkpoint(fresh(), dest, quiet);
    expect(readFileSync((await load(reader, mode))!, "utf8")).toBe("v1");
    expect(reader.lastLoad?.verified).toBe(true);
  });
});

describe("configuration and input errors", () => {
  test("an unknown scheme is CheckpointConfigurationError", async () => {
    using cp = new Checkpoint("nosuchscheme://bucket/cp", undefined, quiet);
    await expect(cp.load()).rejects.toBeInstanceOf(CheckpointConfigurationError);
  });

  test("a destination that is empty or a placeholder is refused at construction", () => {
    expect(() => new Checkpoint('""')).toThrow(CheckpointConfigurationError);
    expect(() => new Checkpoint("{{.checkpointOutputPrefix}}")).toThrow(
      CheckpointConfigurationError,
    );
    expect(() => new Checkpoint("x", undefined, { compressionLevel: 12 })).toThrow(
      CheckpointConfigurationError,
    );
  });

  test("a source that is not a URI (options passed second) is refused at construction, by name", () => {
    const asOptions = { prevCheckpoint: "file:///tmp/x" } as unknown as string;
    expect(() => new Checkpoint("x", asOptions)).toThrow(CheckpointConfigurationError);
    expect(() => new Checkpoint("x", asOptions)).toThrow(/second argument.*options go third/);
    expect(() => new Checkpoint("x", 42 as unknown as string)).toThrow(/got number/);
    expect(() => new Checkpoint("x", null as unknown as string, quiet)).not.toThrow();
  });

  test("a lazily loaded adapter needs prepare() before the blocking calls, and then works", async () => {
    const real = disk();
    const location = { scheme: "lazy", bucket: "b", uri: "lazy://b/" };
    const lazy = new LazyStorage(location, {
      load: async () => ({ make: () => real }),
      module: "lazy-test",
      factory: "make",
      packages: [],
    });
    const object = fresh();
    writeFileSync(object, "7");
    using cold = new Checkpoint(keyOf(fresh()), keyOf(object), { ...quiet, storage: lazy });
    expect(() => cold.loadSync()).toThrow(CheckpointConfigurationError);
    using warm = new Checkpoint(keyOf(fresh()), keyOf(object), { ...quiet, storage: lazy });
    await warm.prepare();
    expect(readFileSync(warm.loadSync()!, "utf8")).toBe("7");
  });

  test("loadSync on a storage without sync twins is a configuration error", () => {
    const real = disk();
    const asyncOnly: Storage = {
      scheme: "file",
      capabilities: real.capabilities,
      head: (k) => real.head(k),
      get: (k) => real.get(k),
      getStream: (k) => real.getStream(k),
      put: (k, b) => real.put(k, b),
      putStream: (k, b) => real.putStream(k, b),
      list: (p) => real.list(p),
      delete: (k) => real.delete(k),
    };
    using cp = new Checkpoint(keyOf(fresh()), keyOf(fresh()), { ...quiet, storage: asyncOnly });
    expect(() => cp.loadSync()).toThrow(CheckpointConfigurationError);
  });

  test.each(["async", "sync"] as const)(
    "bad save input is refused, and the saved checkpoint is untouched (%s)",
    async (mode) => {
      const dest = fresh();
      using cp = new Checkpoint(dest, undefined, quiet);
      await cp.save(Buffer.from("keep"));
      const save = async (data: unknown): Promise<void> =>
        mode === "async" ? cp.save(data as string) : cp.saveSync(data as string);
      await expect(save(join(root, "does-not-exist"))).rejects.toBeInstanceOf(CheckpointInputError);
      await expect(save("")).rejects.toBeInstanceOf(CheckpointInputError);
      await expect(save(42)).rejects.toBeInstanceOf(CheckpointInputError);
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      if (mode === "async") {
        await expect(cp.saveJson(circular)).rejects.toBeInstanceOf(CheckpointInputError);
        await expect(cp.saveJson(undefined)).rejects.toBeInstanceOf(CheckpointInputError);
      } else {
        expect(() => cp.saveJsonSync(10n)).toThrow(CheckpointInputError);
      }
      expect(readFileSync(dest, "utf8")).toBe("keep");
    },
  );

  test("saveSync while an async save is running is refused rather than reordered", async () => {
    using cp = new Checkpoint(fresh(), undefined, quiet);
    const pending = cp.save(Buffer.from("a"));
    expect(() => cp.saveSync(Buffer.from("b"))).toThrow(CheckpointStateError);
    await pending;
    cp.saveSync(Buffer.from("c"));
  });

  test("loadJson on bytes that are not JSON is a CheckpointFormatError", async () => {
    const dest = fresh();
    using w = new Checkpoint(dest, undefined, quiet);
    await w.save(Buffer.from([0xff, 0xfe]));
    using r = new Checkpoint(fresh(), dest, quiet);
    await expect(r.loadJson()).rejects.toMatchObject({ name: "CheckpointFormatError" });
  });
});

describe.each(["async", "sync"] as const)("gzip-bomb guard (%s)", (mode) => {
  function zeros(size: number): string {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, "zeros"), Buffer.alloc(size));
    return dir;
  }

  test("expanding past maxBytes is CheckpointTooLargeError, and nothing is published", async () => {
    const dest = fresh();
    using w = new Checkpoint(dest, undefined, quiet);
    await w.save(zeros(4 << 20));
    using cp = new Checkpoint(fresh(), dest, { ...quiet, limits: { maxBytes: 1 << 20 } });
    await expect(load(cp, mode)).rejects.toBeInstanceOf(CheckpointTooLargeError);
    expect(readdirSync(cp.path)).toEqual([]);
  });

  test("a ratio past maxRatio (after the grace size) is CheckpointTooLargeError", async () => {
    const dest = fresh();
    using w = new Checkpoint(dest, undefined, quiet);
    await w.save(zeros(8 << 20));
    using cp = new Checkpoint(fresh(), dest, {
      ...quiet,
      limits: { maxRatio: 50, ratioGraceBytes: 1 << 20 },
    });
    await expect(load(cp, mode)).rejects.toThrow(/gzip bomb/);
    using ok = new Checkpoint(fresh(), dest, quiet);
    expect(await load(ok, mode)).toBe(ok.path);
  });
});
