/**
 * Private test helpers shared by the packages' test suites: fault injection in front of a real
 * storage, and the servers storage tests run against (from `@flyte/test-servers`, re-exported
 * here so a test imports one package). The storage contract suite is public and lives in
 * `@flyte/storage-adapters/contract`, so adapter authors outside this repository can run it.
 */
export type {
  AzuriteFixture,
  AzuriteOptions,
  AzuriteServer,
  S3TestEnv,
  S3TestOptions,
} from "@flyte/test-servers";
export {
  AZURITE_ACCOUNT,
  AZURITE_ENV,
  AZURITE_KEY,
  azuriteGlobalSetup,
  azuriteGlobalTeardown,
  createS3Bucket,
  deleteS3Bucket,
  isCI,
  rawS3Client,
  s3EnvironmentVariables,
  s3TestEnv,
  startAzurite,
  stopPid,
  useAzurite,
  warnLoudly,
} from "@flyte/test-servers";
export {
  ALL_FAULT_OPERATIONS,
  seededRandom,
  withFaults,
  type FaultOperation,
  type FaultPlan,
  type FaultStats,
  type FaultyStorage,
} from "./faults/index.js";
