import { createServer } from "node:net";
import { inspect } from "node:util";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import {
  AlreadyExistsError,
  NotFoundError,
  PermissionDeniedError,
  StorageConfigurationError,
  StorageError,
  TransientError,
} from "@flyte/storage-adapters";
import { createS3Storage, type S3StorageOptions } from "@flyte/storage-adapters/s3";
import { patternBytes, patternStream, sha256 } from "@flyte/storage-adapters/contract";
import { createS3Bucket, deleteS3Bucket, rawS3Client, s3TestEnv } from "@flyte/test-servers";

const env = s3TestEnv();
const describeS3 = env.available ? describe : describe.skip;
const MiB = 1024 * 1024;

describe("S3 configuration (no server needed)", () => {
  const at = { scheme: "s3", bucket: "cfg-bucket", uri: "s3://cfg-bucket" };

  it("reads endpoint, region and credentials from the AWS variables, with path-style for a custom endpoint", () => {
    const s = createS3Storage(at, {
      env: {
        AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9",
        AWS_REGION: "eu-west-3",
        AWS_ACCESS_KEY_ID: "A",
        AWS_SECRET_ACCESS_KEY: "B",
      },
    });
    expect([s.endpoint, s.region, s.forcePathStyle]).toEqual([
      "http://127.0.0.1:9",
      "eu-west-3",
      true,
    ]);
  });

  it("falls back to AWS_ENDPOINT_URL, defaults the region for custom endpoints, and lets options win", () => {
    const viaGeneric = createS3Storage(at, { env: { AWS_ENDPOINT_URL: "http://127.0.0.1:8" } });
    expect([viaGeneric.endpoint, viaGeneric.region, viaGeneric.forcePathStyle]).toEqual([
      "http://127.0.0.1:8",
      "us-east-1",
      true,
    ]);
    const specificWins = createS3Storage(at, {
      env: { AWS_ENDPOINT_URL: "http://127.0.0.1:8", AWS_ENDPOINT_URL_S3: "http://127.0.0.1:7" },
    });
    expect(specificWins.endpoint).toBe("http://127.0.0.1:7");
    const optionsWin = createS3Storage(at, {
      endpoint: "http://127.0.0.1:6",
      region: "ap-south-1",
      forcePathStyle: false,
      env: { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:7", AWS_REGION: "eu-west-3" },
    });
    expect([optionsWin.endpoint, optionsWin.region, optionsWin.forcePathStyle]).toEqual([
      "http://127.0.0.1:6",
      "ap-south-1",
      false,
    ]);
    const aws = createS3Storage(at, { env: {} });
    expect([aws.endpoint, aws.forcePathStyle]).toEqual([undefined, false]);
  });

  it("refuses bad settings when the adapter is created, naming what is wrong", () => {
    const bad: Array<[S3StorageOptions, RegExp]> = [
      [{ env: {}, endpoint: "not a url" }, /not a URL/],
      [{ env: {}, endpoint: "ftp://127.0.0.1" }, /http\(s\)/],
      [{ env: {}, endpoint: "http://user:pw@127.0.0.1" }, /must not embed credentials/],
      [{ env: { AWS_ACCESS_KEY_ID: "only-the-id" } }, /must be set together/],
      [{ env: {}, partSize: 1024 }, /partSize/],
      [{ env: {}, queueSize: 0 }, /queueSize/],
      [{ env: {}, maxAttempts: 0 }, /maxAttempts/],
    ];
    for (const [options, message] of bad) {
      expect(() => createS3Storage(at, options)).toThrow(StorageConfigurationError);
      expect(() => createS3Storage(at, options)).toThrow(message);
    }
    expect(() => createS3Storage({ scheme: "s3", bucket: "", uri: "s3://" }, { env: {} })).toThrow(
      StorageConfigurationError,
    );
  });

  it("turns a refused connection into a TransientError naming the URI", async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const s = createS3Storage(at, {
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
      maxAttempts: 1,
      env: {},
    });
    const error = await s.get("some/key").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).uri).toBe("s3://cfg-bucket/some/key");
    expect((error as Error).cause).toBeDefined();
    await s.close();
  });
});

describeS3("S3 adapter on radosgw", () => {
  const options = env.available ? env.options : (undefined as never);
  let bucket: string;
  const storage = (extra: S3StorageOptions = {}) =>
    createS3Storage({ scheme: "s3", bucket, uri: `s3://${bucket}` }, { ...options, ...extra });

  beforeAll(async () => {
    bucket = await createS3Bucket(options, "adapter");
  }, 60_000);
  afterAll(async () => {
    await deleteS3Bucket(options, bucket);
  }, 60_000);

  it("works from the AWS variables alone", async () => {
    const s = createS3Storage(
      { scheme: "s3", bucket, uri: `s3://${bucket}` },
      {
        env: {
          AWS_ENDPOINT_URL_S3: options.endpoint,
          AWS_ACCESS_KEY_ID: options.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: options.credentials.secretAccessKey,
        },
      },
    );
    await s.put("env/config", "from env");
    expect(Buffer.from(await s.get("env/config")).toString()).toBe("from env");
    await s.close();
  });

  it("radosgw ignores If-None-Match on CompleteMultipartUpload (why the adapter never relies on it)", async () => {
    // A canary for the design: if this starts failing, radosgw enforces the condition now.
    const raw = rawS3Client(options);
    const Key = "canary/mpu";
    await raw.send(new PutObjectCommand({ Bucket: bucket, Key, Body: "original" }));
    const { UploadId } = await raw.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }));
    const parts = [];
    for (const [n, size] of [
      [1, 5 * MiB],
      [2, 1024],
    ] as const) {
      const { ETag } = await raw.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key,
          UploadId,
          PartNumber: n,
          Body: patternBytes(size, n),
        }),
      );
      parts.push({ ETag, PartNumber: n });
    }
    await raw.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: parts },
        IfNoneMatch: "*",
      }),
    );
    const after = await raw.send(new GetObjectCommand({ Bucket: bucket, Key }));
    expect(after.ContentLength).toBe(5 * MiB + 1024);
    raw.destroy();
  }, 60_000);

  it("a multipart-sized exclusive create stays exclusive, with known and unknown size", async () => {
    const s = storage({ partSize: 5 * MiB });
    const key = "exclusive/large";
    await s.put(key, "small original");
    const unknown = patternStream(12 * MiB, 1);
    await expect(s.putStream(key, unknown.body, { mode: "create" })).rejects.toBeInstanceOf(
      AlreadyExistsError,
    );
    const known = patternStream(12 * MiB, 2);
    await expect(
      s.putStream(key, known.body, { mode: "create", size: 12 * MiB }),
    ).rejects.toBeInstanceOf(AlreadyExistsError);
    await expect(s.put(key, patternBytes(12 * MiB, 3), { mode: "create" })).rejects.toBeInstanceOf(
      AlreadyExistsError,
    );
    expect(Buffer.from(await s.get(key)).toString()).toBe("small original");

    const fresh = patternStream(12 * MiB, 4);
    const written = await s.putStream("exclusive/fresh", fresh.body, { mode: "create" });
    expect(written.size).toBe(12 * MiB);
    expect(sha256(await s.get("exclusive/fresh"))).toBe(fresh.sha256());
    await s.close();
  }, 60_000);

  it("a plain multipart overwrite reports size and an etag usable for compare-and-swap", async () => {
    const s = storage({ partSize: 5 * MiB });
    const body = patternBytes(11 * MiB, 9);
    const written = await s.put("mpu/overwrite", body);
    expect(written.size).toBe(body.length);
    expect(written.etag).toEqual(expect.any(String));
    await s.put("mpu/overwrite", "swapped", { mode: { ifMatch: written.etag! } });
    expect(Buffer.from(await s.get("mpu/overwrite")).toString()).toBe("swapped");
    await s.close();
  }, 60_000);

  it("a missing bucket is a configuration error, never 'not found'", async () => {
    const s = createS3Storage(
      { scheme: "s3", bucket: "no-such-bucket-flyte", uri: "s3://no-such-bucket-flyte" },
      options,
    );
    const attempts: Array<() => Promise<unknown>> = [
      () => s.head("k"),
      () => s.get("k"),
      () => s.getStream("k"),
      () => s.put("k", "v"),
      () => s.put("k", "v", { mode: "create" }),
      async () => {
        for await (const entry of s.list("")) void entry;
      },
      () => s.delete("k"),
    ];
    for (const attempt of attempts) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageConfigurationError);
      expect(error).not.toBeInstanceOf(NotFoundError);
      expect((error as Error).message).toContain('bucket "no-such-bucket-flyte" does not exist');
    }
    await s.close();
  }, 60_000);

  it("never puts the secret key into an error, its cause, or a revived sync error", async () => {
    const secret = options.credentials.secretAccessKey;
    const wrong = `${secret.slice(0, -4)}XXXX`;
    const s = storage({
      credentials: { accessKeyId: options.credentials.accessKeyId, secretAccessKey: wrong },
      maxAttempts: 1,
    });
    const error = await s.put("secret/k", "v").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    const syncError = (() => {
      try {
        s.getSync("secret/k");
      } catch (e) {
        return e;
      }
    })();
    expect(syncError).toBeInstanceOf(PermissionDeniedError);
    for (const e of [error, syncError]) {
      const everything = [
        String(e),
        (e as Error).stack,
        inspect(e, { depth: 20, showHidden: true }),
        JSON.stringify(e),
      ].join("\n");
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(wrong);
    }
    expect(inspect(s, { depth: 20, showHidden: true })).not.toContain(wrong);
    await s.close();
  }, 60_000);

  it("gives typed errors the URI and the SDK error as cause", async () => {
    const s = storage();
    const error = await s.get("missing/key").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as NotFoundError).uri).toBe(`s3://${bucket}/missing/key`);
    expect((error as Error).message).toContain(`s3://${bucket}/missing/key`);
    expect(((error as Error).cause as { name?: string }).name).toBe("NoSuchKey");
    await s.close();
  });
});
