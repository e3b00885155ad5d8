/**
 * Checkpoints on the real remote servers (radosgw for s3://, Azurite for abfs://), resolved by
 * URI the way a task's `ctx().checkpoint` is: the sync pair works from the very first call,
 * before any async call has loaded the adapter, and agrees with the async pair.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Checkpoint } from "@flyte/checkpoint";
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
