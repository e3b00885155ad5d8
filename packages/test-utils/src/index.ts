/** Private test helpers shared by the packages' test suites. */
export type { ContractContext, StorageContractFixture, StorageContractOptions } from "./contract/StorageContract.js";
export { describeStorageContract } from "./contract/describeStorageContract.js";
export { collect, digestStream, patternBytes, patternStream, sha256 } from "./contract/contractData.js";
