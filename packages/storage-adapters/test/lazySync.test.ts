/**
 * `resolveStorage("s3://...")` returns a lazy proxy whose adapter loads on first async use. A
 * blocking call made first (a task whose first line is `ctx().checkpoint.loadSync()`) must work
 * too: it goes through the worker bridge, which runs the adapter in its own thread.
 */
import { resolveStorage, NotFoundError, isSyncStorage } from "@flyte/storage-adapters";
import type { SyncStorage } from "@flyte/storage-adapters";
import {
  createS3Bucket,
  deleteS3Bucket,
  s3EnvironmentVariables,
  s3TestEnv,
} from "@flyte/test-servers";

const env = s3TestEnv();
const describeS3 = env.available ? describe : describe.skip;

describeS3("a lazy s3:// storage used blocking before it has loaded", () => {
  let bucket = "";
  const saved = { ...process.env };

  beforeAll(async () => {
    if (!env.available) return;
    bucket = await createS3Bucket(env.options, "lazy-sync");
    Object.assign(process.env, s3EnvironmentVariables(env.options));
  });

  afterAll(async () => {
    process.env = saved;
    if (env.available && bucket) await deleteS3Bucket(env.options, bucket);
  });

  it("answers headSync/getSync/putSync through the worker bridge, and agrees with the async side", async () => {
    const { storage, key } = resolveStorage(`s3://${bucket}/cold/${Date.now()}/obj`);
    try {
      expect(isSyncStorage(storage)).toBe(true);
      const sync = storage as unknown as SyncStorage;
      expect(sync.headSync(key)).toBeNull();
      expect(() => sync.getSync(key)).toThrow(NotFoundError);
      sync.putSync(key, "hello");
      expect(new TextDecoder().decode(sync.getSync(key))).toBe("hello");
      expect(new TextDecoder().decode(await storage.get(key))).toBe("hello");
    } finally {
      await storage.close?.();
    }
  });
});
