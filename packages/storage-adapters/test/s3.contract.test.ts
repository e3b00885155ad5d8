import { describeStorageContract } from "@flyte/storage-adapters/contract";
import { createS3Storage } from "@flyte/storage-adapters/s3";
import { createS3Bucket, deleteS3Bucket, s3TestEnv } from "@flyte/test-servers";

// radosgw, started by tooling/servers/with-servers.sh (`pnpm test`) or `tooling/servers/rgw.sh up`.
const env = s3TestEnv();

describeStorageContract(
  "s3 on radosgw",
  async () => {
    if (!env.available) throw new Error(env.reason);
    const bucket = await createS3Bucket(env.options, "contract");
    const storage = createS3Storage({ scheme: "s3", bucket, uri: `s3://${bucket}` }, env.options);
    return {
      storage,
      cleanup: async () => {
        await storage.close();
        await deleteS3Bucket(env.options, bucket);
      },
    };
  },
  { describe, it, beforeAll, afterAll },
  env.available ? {} : { skip: env.reason },
);
