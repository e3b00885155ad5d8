/**
 * `@flyte/storage-adapters`, for `File` and `Dir` (whose methods are async anyway),
 * reached through {@link loadStorageAdaptersAsync}. In the sources (jest, tsx) it is imported
 * eagerly, as here. The build swaps this module for a loader (tsup.config.ts, plugin
 * `lazy-modules`): `import()` in the ESM build, `require` in the CJS build, so each format gets
 * the same copy its user gets and adapters registered with `registerStorage` are seen.
 * Importing `@flyte/type-engine` alone then does not load it.
 */
import * as storageAdapters from "@flyte/storage-adapters";

/** `@flyte/storage-adapters`. */
export type StorageAdaptersModule = typeof storageAdapters;

/** `@flyte/storage-adapters`, loaded on first call in the built package. */
export async function loadStorageAdaptersAsync(): Promise<StorageAdaptersModule> {
  return storageAdapters;
}
