/**
 * AbortSignal: a save or load stops promptly with `CheckpointAbortedError` (the signal's reason
 * as its cause); an aborted save never publishes (the previous checkpoint loads, verified) and
 * leaves no temp file; an aborted load publishes nothing half-restored, and the next load
 * works. On the disk and, when the server is up, S3 (radosgw).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Checkpoint, CheckpointAbortedError } from "@flyte/checkpoint";
import type { CheckpointOptions } from "@flyte/checkpoint";
import { s3TestEnv } from "@flyte/test-utils";
import { localBackends, s3Backend } from "./helpers/backends.js";
import type { Backend } from "./helpers/backends.js";

const names = ["disk", ...(s3TestEnv().available ? ["s3 (radosgw)"] : [])];
const backends = new Map<string, Backend>();
let root: string;
let bigDir: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "cp-abort-"));
  bigDir = join(root, "big");
  mkdirSync(bigDir);
  // Incompressible, so that saving and loading it takes a while.
  for (let i = 0; i < 12; i++) writeFileSync(join(bigDir, `part-${i}.bin`), randomBytes(4 << 20));
  for (const b of localBackends()) backends.set(b.name, b);
  const s3 = await s3Backend();
  if (s3) backends.set(s3.name, s3);
}, 60_000);

afterAll(async () => {
  for (const b of backends.values()) await b.cleanup();
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
const key = (): string => `abort/${++n}/cp`;
const opts = (
  b: Backend,
  tmp: string,
  extra: Partial<CheckpointOptions> = {},
): CheckpointOptions => ({
  storage: b.storage,
  tmpDir: tmp,
  onWarning: () => undefined,
  ...extra,
});
const freshTmp = (): string => {
  const dir = join(root, `tmp-${++n}`);
  mkdirSync(dir);
  return dir;
};

async function savedPrevious(b: Backend, tmp: string): Promise<string> {
  const k = key();
  using cp = new Checkpoint(k, undefined, opts(b, tmp));
  await cp.save(new TextEncoder().encode("previous"));
  return k;
}

async function expectPrevious(b: Backend, k: string, tmp: string): Promise<void> {
  using reader = new Checkpoint(`${k}.reader`, k, opts(b, tmp));
  expect(Buffer.from((await reader.loadBytes())!).toString()).toBe("previous");
  expect(reader.lastLoad?.verified).toBe(true);
}

describe.each(names)("abort (%s)", (name) => {
  test("a directory save aborted mid-way rejects promptly with the reason, publishes nothing and leaves no temp file", async () => {
    const b = backends.get(name)!;
    const tmp = freshTmp();
    const k = await savedPrevious(b, tmp);
    using cp = new Checkpoint(k, undefined, opts(b, tmp));
    const controller = new AbortController();
    const reason = new Error("the spot instance is going away");
    const saving = cp.save(bigDir, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 150));
    const abortedAt = Date.now();
    controller.abort(reason);
    const error = await saving.catch((e: unknown) => e);
    expect(Date.now() - abortedAt).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(CheckpointAbortedError);
    expect((error as CheckpointAbortedError).cause).toBe(reason);
    expect((error as CheckpointAbortedError).uri).toBe(k);
    await expectPrevious(b, k, tmp);
    if (b.localPath) {
      // Beside the object: the object, its manifest, nothing half-written.
      const folder = dirname(b.localPath(k));
      const entries = readdirSync(folder).filter((f) => !f.includes(".reader"));
      expect(entries.sort()).toEqual(["cp", "cp.manifest.json"]);
    }
    expect(readdirSync(tmp)).toEqual([]);
  }, 60_000);

  test("a load aborted mid-way restores nothing; the next load works", async () => {
    const b = backends.get(name)!;
    const tmp = freshTmp();
    const k = key();
    {
      using writer = new Checkpoint(k, undefined, opts(b, tmp));
      await writer.save(bigDir);
    }
    using cp = new Checkpoint(`${k}.next`, k, opts(b, tmp));
    const controller = new AbortController();
    const loading = cp.load({ signal: controller.signal });
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    await expect(loading).rejects.toBeInstanceOf(CheckpointAbortedError);
    expect(cp.lastLoad).toBeUndefined();
    expect(readdirSync(cp.path)).toEqual([]);
    const path = (await cp.load())!;
    expect(readdirSync(path).sort()).toEqual(readdirSync(bigDir).sort());
    expect(cp.lastLoad?.verified).toBe(true);
  }, 60_000);
});

describe("abort (queue and instance signal)", () => {
  test("a save queued behind a slow one stops at once when aborted; the slow one still completes", async () => {
    const b = backends.get("disk")!;
    const tmp = freshTmp();
    const k = key();
    using cp = new Checkpoint(k, undefined, opts(b, tmp));
    const slow = cp.save(bigDir);
    const controller = new AbortController();
    const queued = cp.save(new TextEncoder().encode("queued"), { signal: controller.signal });
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(CheckpointAbortedError);
    await slow;
    using reader = new Checkpoint(`${k}.r`, k, opts(b, tmp));
    expect(readdirSync((await reader.load())!).length).toBe(12);
  }, 60_000);

  test("an aborted instance signal stops every call, the blocking ones too, and writes nothing", async () => {
    const b = backends.get("disk")!;
    const tmp = freshTmp();
    const k = await savedPrevious(b, tmp);
    const controller = new AbortController();
    controller.abort("stop");
    using cp = new Checkpoint(k, k, opts(b, tmp, { signal: controller.signal }));
    await expect(cp.save(new TextEncoder().encode("new"))).rejects.toMatchObject({
      name: "CheckpointAbortedError",
      reason: "stop",
    });
    expect(() => cp.saveSync(new TextEncoder().encode("new"))).toThrow(CheckpointAbortedError);
    await expect(cp.load()).rejects.toBeInstanceOf(CheckpointAbortedError);
    expect(() => cp.loadSync()).toThrow(CheckpointAbortedError);
    await expectPrevious(b, k, tmp);
  });
});
