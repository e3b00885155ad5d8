/** The real servers storage tests run against: radosgw (started outside jest) and Azurite. */
export {
  AZURITE_ACCOUNT,
  AZURITE_KEY,
  startAzurite,
  stopPid,
  type AzuriteServer,
} from "./azurite.js";
export { AZURITE_ENV, azuriteGlobalSetup, azuriteGlobalTeardown } from "./azuriteGlobal.js";
export { useAzurite, type AzuriteFixture, type AzuriteOptions } from "./useAzurite.js";
export {
  s3EnvironmentVariables,
  s3TestEnv,
  type S3TestEnv,
  type S3TestOptions,
} from "./s3TestEnv.js";
export { createS3Bucket, deleteS3Bucket, rawS3Client } from "./s3Buckets.js";
export { isCI, warnLoudly } from "./loud.js";
