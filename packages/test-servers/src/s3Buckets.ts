import { randomBytes } from "node:crypto";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import type { S3TestOptions } from "./s3TestEnv.js";

/** A raw SDK client for the test server, for setting up and checking what the adapter did. */
export function rawS3Client(options: S3TestOptions): S3Client {
  return new S3Client({
    ...options,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/** Creates a fresh bucket named `<prefix>-<random>` and returns its name. */
export async function createS3Bucket(options: S3TestOptions, prefix = "test"): Promise<string> {
  const bucket = `${prefix}-${randomBytes(5).toString("hex")}`.toLowerCase();
  const client = rawS3Client(options);
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
  return bucket;
}

/** Deletes every object in `bucket`, then the bucket (radosgw keeps objects in memory). */
export async function deleteS3Bucket(options: S3TestOptions, bucket: string): Promise<void> {
  const client = rawS3Client(options);
  try {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
      );
      await Promise.all(
        (page.Contents ?? []).map((o) =>
          client.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key })),
        ),
      );
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
}
