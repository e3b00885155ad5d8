/**
 * `@flyte/storage-adapters/s3`: the S3 adapter. Loaded by the registry only when an `s3://` URI
 * is used; `@aws-sdk/client-s3` and `@aws-sdk/lib-storage` are optional peers imported on first use.
 */
import { S3Storage } from "./s3/S3Storage.js";
import type { S3Location, S3StorageOptions } from "./s3/S3StorageOptions.js";

export { S3Storage } from "./s3/S3Storage.js";
export type { S3Credentials, S3Location, S3StorageOptions } from "./s3/S3StorageOptions.js";

/**
 * An S3 adapter for one bucket. Options override the usual AWS variables (`AWS_ENDPOINT_URL_S3`,
 * `AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`).
 * Bad options throw `StorageConfigurationError` here; a missing SDK throws `MissingDependencyError`
 * on the first operation.
 */
export function createS3Storage(location: S3Location, options?: S3StorageOptions): S3Storage {
  return new S3Storage(location, options);
}
