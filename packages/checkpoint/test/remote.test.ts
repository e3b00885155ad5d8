/**
 * Checkpoints on the real remote servers (radosgw for s3://, Azurite for abfs://), resolved by
 * URI the way a task's `ctx().checkpoint` is: the sync pair works from the very first call,
 * before any async call has loaded the adapter, and agrees with the async pair.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Checkpoint } from "@flyte/checkpoint";
import { isFileStorage, resolveStorage } from "@flyte/storage-adapters";
import {
  createS3Bucket,
  deleteS3Bucket,
  s3EnvironmentVariables,
  s3TestEnv,
} from "@flyte/test-utils";

const env = s3TestEnv();
const describeS3 = env.available ? describe : describe.skip;

describeS3("Checkpoint on s3:// (radosgw), resolved by URI", () => {
  let bucket = "";
  const saved = { ...process.env };

  beforeAll(async () => {
    if (!env.available) return;
    bucket = await createS3Bucket(env.options, "cp-remote");
    Object.assign(process.env, s3EnvironmentVariables(env.options));
  });

  afterAll(async () => {
    process.env = saved;
    if (env.available && bucket) await deleteS3Bucket(env.options, bucket);
  });

  it("runs the seed's sync loop across attempts with saveSync/loadSync as the first calls", () => {
    const base = `s3://${bucket}/run-${Date.now().toString(36)}/a0`;
    const attempt0 = new Checkpoint(`${base}/0/_flytecheckpoints`, '""');
    expect(attempt0.loadSync()).toBeUndefined();
    for (let i = 0; i < 3; i++) attempt0.saveSync(new TextEncoder().encode(String(i + 1)));
    attempt0.dispose();

    const attempt1 = new Checkpoint(`${base}/1/_flytecheckpoints`, `${base}/0/_flytecheckpoints`);
    const path = attempt1.loadSync();
    expect(path).toBeDefined();
    expect(readFileSync(path!, "utf8")).toBe("3");
    attempt1.dispose();
  });

  it("streams a file through S3 (no local-file copies there), with a crc32 manifest that verifies", async () => {
    const base = `s3://${bucket}/file-${Date.now().toString(36)}`;
    const src = join(mkdtempSync(join(tmpdir(), "cp-remote-file-")), "weights.bin");
    writeFileSync(src, randomBytes(6 * 1024 * 1024 + 7));
    const writer = new Checkpoint(`${base}/0`);
    await writer.save(src);
    writer.dispose();
    const { storage, key } = resolveStorage(`${base}/0.manifest.json`);
    expect(isFileStorage(storage)).toBe(false);
    const manifest = JSON.parse(Buffer.from(await storage.get(key)).toString("utf8")) as {
      crc32?: string;
      sha256?: string;
    };
    expect(manifest.crc32).toMatch(/^[0-9a-f]{8}$/);
    expect(manifest.sha256).toBeUndefined();
    for (const sync of [false, true]) {
      const reader = new Checkpoint(`${base}/${sync ? 2 : 1}`, `${base}/0`);
      const path = sync ? reader.loadSync() : await reader.load();
      expect(readFileSync(path!).equals(readFileSync(src))).toBe(true);
      expect(reader.lastLoad).toMatchObject({ format: "file", verified: true });
      reader.dispose();
    }
  });

  it("saves a directory with saveSync and restores it with the async load (and back)", async () => {
    const base = `s3://${bucket}/dir-${Date.now().toString(36)}`;
    const src = mkdtempSync(join(tmpdir(), "cp-remote-src-"));
    mkdirSync(join(src, "nested"));
    writeFileSync(join(src, "a.txt"), "alpha");
    writeFileSync(join(src, "nested", "b.bin"), Buffer.from([0, 1, 2, 255]));

    const writer = new Checkpoint(`${base}/0`);
    writer.saveSync(src);
    writer.dispose();
    const reader = new Checkpoint(`${base}/1`, `${base}/0`);
    const restored = await reader.load();
    expect(readFileSync(join(restored!, "a.txt"), "utf8")).toBe("alpha");
    expect([...readFileSync(join(restored!, "nested", "b.bin"))]).toEqual([0, 1, 2, 255]);
    await reader.save(new TextEncoder().encode("async"));
    reader.dispose();

    const third = new Checkpoint(`${base}/2`, `${base}/1`);
    expect(readFileSync(third.loadSync()!, "utf8")).toBe("async");
    third.dispose();
  });

  it("reports a bucket that does not exist as a configuration error, not as 'no checkpoint'", () => {
    const cp = new Checkpoint(
      `s3://no-such-bucket-${Date.now()}/x/1`,
      `s3://no-such-bucket-${Date.now()}/x/0`,
    );
    expect(() => cp.loadSync()).toThrow(
      expect.objectContaining({ name: "CheckpointConfigurationError" }),
    );
    cp.dispose();
  });
});
