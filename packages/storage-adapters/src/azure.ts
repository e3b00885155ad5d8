/**
 * `@flyte/storage-adapters/azure`: the Azure Blob adapter for `abfs://` and `abfss://`. Loaded by
 * the registry only when such a URI is used; `@azure/storage-blob` is an optional peer imported on first use.
 */
import { AzureStorage } from "./azure/AzureStorage.js";
import type { AzureLocation, AzureStorageOptions } from "./azure/AzureStorageOptions.js";

export { AzureStorage } from "./azure/AzureStorage.js";
export type { AzureLocation, AzureStorageOptions } from "./azure/AzureStorageOptions.js";
export { parseAbfsUri, type AbfsUri } from "./azure/parseAbfsUri.js";

/**
 * An Azure Blob adapter for one container. Options override the URI and the `AZURE_STORAGE_*`
 * variables (`AZURE_STORAGE_ACCOUNT_NAME`, `AZURE_STORAGE_ACCOUNT_KEY`, `AZURE_STORAGE_SAS_TOKEN`,
 * `AZURE_STORAGE_CONNECTION_STRING`, `AZURE_STORAGE_ENDPOINT`). Bad settings throw
 * `StorageConfigurationError` here; a missing SDK throws `MissingDependencyError` on first use.
 */
export function createAzureStorage(
  location: AzureLocation,
  options?: AzureStorageOptions,
): AzureStorage {
  return new AzureStorage(location, options);
}
