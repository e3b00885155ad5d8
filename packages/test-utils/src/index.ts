/** Private test helpers shared by the packages' test suites. */
export type {
  ContractContext,
  StorageContractFixture,
  StorageContractOptions,
} from "./contract/StorageContract.js";
export { describeStorageContract } from "./contract/describeStorageContract.js";
export {
  collect,
  digestStream,
  patternBytes,
  patternStream,
  sha256,
} from "./contract/contractData.js";
// The real servers the contract runs against (radosgw, Azurite).
export type {
  AzuriteFixture,
  AzuriteOptions,
  AzuriteServer,
  S3TestEnv,
  S3TestOptions,
} from "./servers/index.js";
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
} from "./servers/index.js";
export {
  ALL_FAULT_OPERATIONS,
  seededRandom,
  withFaults,
  type FaultOperation,
  type FaultPlan,
  type FaultStats,
  type FaultyStorage,
} from "./faults/index.js";
