/**
 * `@flyte/storage-adapters/contract`: the storage contract suite every adapter must pass, for
 * adapter authors to run against their own backend. It registers its cases with the caller's
 * test framework (jest, vitest, `node:test`, mocha) and asserts with `node:assert`, so it has
 * no runtime dependency on a framework. The root entry never loads it.
 */
export type {
  ContractHarness,
  ContractTestBody,
  StorageContractFixture,
  StorageContractOptions,
} from "./contract/StorageContract.js";
export { describeStorageContract } from "./contract/describeStorageContract.js";
export {
  collect,
  digestStream,
  listAll,
  patternBytes,
  patternStream,
  sha256,
} from "./contract/contractData.js";
