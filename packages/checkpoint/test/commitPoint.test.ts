/**
 * The object write is the commit point (issue 14, items 1–4), on the disk, memfs and S3
 * (radosgw): the manifest is written before its object and vouches for every version a save may
 * leave there, so
 * 1. damage to a stored checkpoint (a flipped byte, a cut, an append, even a cut to 0 bytes) is
 *    reported as `CheckpointChecksumError`, never loaded and never read as "no checkpoint";
 * 2. a damaged small directory archive never comes back as a `payload` file;
 * 3. loads during saves of the same object (two savers, bytes and directories alternating) get
 *    one saved version whole, in its own format, without spurious errors;
 * 4. a save that fails before its object landed (its manifest write failed) leaves the
 *    previous checkpoint loadable, verified.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TransientError } from "@flyte/storage-adapters";
import {
  Checkpoint,
  CheckpointChecksumError,
  CheckpointCorruptError,
  CheckpointUnavailableError,
  manifestKey,
} from "@flyte/checkpoint";
import type { CheckpointOptions } from "@flyte/checkpoint";
import { s3TestEnv } from "@flyte/test-utils";
import { localBackends, s3Backend } from "./helpers/backends.js";
import type { Backend } from "./helpers/backends.js";
import { faultyStorage } from "./helpers/faultyStorage.js";
import { describeTree } from "./helpers/tree.js";

const s3Available = s3TestEnv().available;
const names = ["disk", "memfs", ...(s3Available ? ["s3 (radosgw)"] : [])];
const backends = new Map<string, Backend>();
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "cp-commit-"));
  for (const b of localBackends()) backends.set(b.name, b);
  const s3 = await s3Backend();
  if (s3) backends.set(s3.name, s3);
}, 60_000);

afterAll(async () => {
  for (const b of backends.values()) await b.cleanup();
  rmSync(work, { recursive: true, force: true });
});

let n = 0;
const key = (): string => `commit/${process.pid}/${++n}/cp`;
const quiet = { onWarning: () => undefined };
type Mode = "async" | "sync";
type Format = "bytes" | "file" | "dir";

function options(b: Backend, extra: Partial<CheckpointOptions> = {}): CheckpointOptions {
  return { ...quiet, storage: b.storage, tmpDir: work, ...extra };
}

/** A source for `format`: bytes, a file, or a small directory (its archive is ~140 bytes gzipped). */
function source(format: Format, tag: string): Uint8Array | string {
  if (format === "bytes") return new TextEncoder().encode(`{"step":${tag.length},"tag":"${tag}"}`);
  const path = join(work, `src-${++n}`);
  if (format === "file") {
    writeFileSync(path, Buffer.alloc(1000, tag));
    return path;
  }
  mkdirSync(path);
  writeFileSync(join(path, "a"), tag);
  return path;
}

async function save(cp: Checkpoint, mode: Mode, data: Uint8Array | string): Promise<void> {
  if (mode === "async") await cp.save(data);
  else cp.saveSync(data);
}

async function load(cp: Checkpoint, mode: Mode): Promise<string | undefined> {
  return mode === "async" ? cp.load() : cp.loadSync();
}

const combos: [Mode, Format][] = (["async", "sync"] as const).flatMap((m) =>
  (["bytes", "file", "dir"] as const).map((f): [Mode, Format] => [m, f]),
);

describe.each(names)("1. damage is reported, never loaded (%s)", (name) => {
  test.each(combos)(
    "%s, %s: a flipped byte, a cut to half, a cut to 0 bytes and appended bytes are CheckpointChecksumError",
    async (mode, format) => {
      const b = backends.get(name)!;
      const k = key();
      {
        using writer = new Checkpoint(k, undefined, options(b));
        await save(writer, mode, source(format, "good"));
      }
      const good = Buffer.from(await b.read(k));
      const flipped = Buffer.from(good);
      flipped[Math.floor(good.length / 2)]! ^= 0x01;
      const damaged: [string, Uint8Array][] = [
        ["a flipped byte", flipped],
        ["a cut to half", good.subarray(0, Math.floor(good.length / 2))],
        ["a cut to 0 bytes", new Uint8Array(0)],
        ["10 appended bytes", Buffer.concat([good, Buffer.alloc(10, 0x41)])],
      ];
      for (const [what, bytes] of damaged) {
        await b.damage(k, bytes);
        using reader = new Checkpoint(`${k}.next`, k, options(b));
        const error = await load(reader, mode).then(
          (path) => new Error(`${what}: loaded ${path} instead of failing`),
          (e: unknown) => e,
        );
        expect([what, error]).toEqual([what, expect.any(CheckpointChecksumError)]);
        expect((error as CheckpointChecksumError).uri).toBe(k);
        expect(reader.lastLoad).toBeUndefined();
      }
      // Put back, it loads verified again: the manifest never stopped vouching for it.
      await b.damage(k, good);
      using again = new Checkpoint(`${k}.next`, k, options(b));
      expect(await load(again, mode)).toBeDefined();
      expect(again.lastLoad).toMatchObject({ format, verified: true });
    },
  );
});

describe("2. a damaged small directory checkpoint never comes back as a payload", () => {
  test.each(["async", "sync"] as const)(
    "disk, %s: every cut point and every single-byte flip of a ~140-byte archive is a typed error",
    async (mode) => {
      const b = backends.get("disk")!;
      const k = key();
      {
        using writer = new Checkpoint(k, undefined, options(b));
        await writer.save(source("dir", "x"));
      }
      const good = Buffer.from(await b.read(k));
      expect(good.length).toBeLessThan(200);
      const variants: [string, Uint8Array][] = [];
      for (let cut = 1; cut < good.length; cut++)
        variants.push([`cut at ${cut}`, good.subarray(0, cut)]);
      for (let at = 0; at < good.length; at++) {
        const flipped = Buffer.from(good);
        flipped[at]! ^= 0xff;
        variants.push([`flip at ${at}`, flipped]);
      }
      for (const extra of [1, 10, 100])
        variants.push([`${extra} appended`, Buffer.concat([good, Buffer.alloc(extra, 7)])]);
      const loaded: string[] = [];
      for (const [what, bytes] of variants) {
        await b.damage(k, bytes);
        using reader = new Checkpoint(`${k}.next`, k, options(b));
        try {
          const path = await load(reader, mode);
          loaded.push(
            `${what}: ${path === undefined ? "no checkpoint" : `${reader.lastLoad?.format} at ${path}`}`,
          );
        } catch (error) {
          if (!(error instanceof CheckpointCorruptError)) loaded.push(`${what}: ${String(error)}`);
        }
      }
      expect(loaded).toEqual([]);
    },
    60_000,
  );
});

describe.each(names)("3. loads while the same object is being saved (%s)", (name) => {
  test("two savers alternating bytes and directories, loads in between: every load is one saved version, whole, in its format", async () => {
    const b = backends.get(name)!;
    const k = key();
    const loads = name.startsWith("s3") ? 60 : 250;
    const expected = new Map<string, string>(); // digest of what was saved -> format
    const dirs = ["one", "two", "three"].map((tag) => {
      const dir = join(work, `conc-${tag}-${++n}`);
      mkdirSync(join(dir, "nested"), { recursive: true });
      writeFileSync(join(dir, "nested", "weights.bin"), Buffer.alloc(20_000 + tag.length, tag));
      writeFileSync(join(dir, "tag"), tag);
      expected.set(JSON.stringify(describeTree(dir)), "dir");
      return dir;
    });
    const payloads = Array.from({ length: 6 }, (_, i) =>
      new TextEncoder().encode(JSON.stringify({ saver: i % 2, value: i, pad: "p".repeat(i * 50) })),
    );
    for (const p of payloads) expected.set(Buffer.from(p).toString("base64"), "bytes");
    // A first checkpoint, so every load finds one.
    {
      using first = new Checkpoint(k, undefined, options(b));
      await first.save(payloads[0]!);
    }
    let stop = false;
    const saver = async (id: number): Promise<number> => {
      using cp = new Checkpoint(k, undefined, options(b));
      let saves = 0;
      for (let i = 0; !stop; i++) {
        await cp.save(
          i % 2 === 0 ? payloads[(i + id) % payloads.length]! : dirs[(i + id) % dirs.length]!,
        );
        saves++;
      }
      return saves;
    };
    const problems: string[] = [];
    const loader = async (): Promise<void> => {
      for (let i = 0; i < loads; i++) {
        using cp = new Checkpoint(`${k}.next-${i}`, k, options(b));
        try {
          const path = (await cp.load())!;
          const info = cp.lastLoad!;
          const seen =
            info.format === "dir"
              ? JSON.stringify(describeTree(path))
              : readFileSync(path).toString("base64");
          if (expected.get(seen) !== info.format)
            problems.push(`load ${i}: a ${info.format} that was never saved (torn)`);
          if (!info.verified) problems.push(`load ${i}: not verified`);
        } catch (error) {
          problems.push(`load ${i}: ${String(error)}`);
        }
      }
      stop = true;
    };
    const [a, c] = await Promise.all([saver(0), saver(1), loader()]);
    expect(problems).toEqual([]);
    expect(a + c).toBeGreaterThan(10);
  }, 120_000);
});

describe.each(names)("4. a failed save leaves the previous checkpoint (%s)", (name) => {
  test.each(combos)(
    "%s, %s: the manifest write fails, the save rejects, the previous checkpoint loads verified",
    async (mode, format) => {
      const b = backends.get(name)!;
      const k = key();
      {
        using writer = new Checkpoint(k, undefined, options(b));
        await writer.save(new TextEncoder().encode("previous"));
      }
      const manifestOnly = (key: string): boolean => key === manifestKey(k);
      const broken = faultyStorage(
        b.storage,
        {
          put: (key) => new TransientError(key, "lost the connection"),
          putSync: (key) => new TransientError(key, "lost the connection"),
        },
        manifestOnly,
      );
      {
        using failing = new Checkpoint(k, undefined, options(b, { storage: broken }));
        await expect(save(failing, mode, source(format, "next"))).rejects.toBeInstanceOf(
          CheckpointUnavailableError,
        );
      }
      using reader = new Checkpoint(`${k}.next`, k, options(b));
      expect(readFileSync((await load(reader, mode))!, "utf8")).toBe("previous");
      expect(reader.lastLoad).toMatchObject({ format: "bytes", verified: true });
    },
  );
});
