/**
 * `@flyte/storage-adapters` and `@flyte/context-core`, for File and Dir (whose methods are async
 * anyway), reached through {@link loadStorageAdapters} / {@link loadContextCore}. In the sources
 * they are imported eagerly, as here. The build swaps this module for loaders (tsup.config.ts,
 * plugin `lazy-modules`): `import()` in the ESM build, `require` in the CJS build — each format
 * gets the same copy its user gets, so adapters registered with `registerStorage` are seen.
 * Importing `@flyte/type-engine` alone then loads neither.
 */
import * as contextCore from "@flyte/context-core";
import * as storageAdapters from "@flyte/storage-adapters";

/** `@flyte/storage-adapters`. */
export type StorageAdaptersModule = typeof storageAdapters;
/** `@flyte/context-core`. */
export type ContextCoreModule = typeof contextCore;

/** `@flyte/storage-adapters`, loaded on first call in the built package. */
export async function loadStorageAdapters(): Promise<StorageAdaptersModule> {
  return storageAdapters;
}

/** `@flyte/context-core`, loaded on first call in the built package. */
export async function loadContextCore(): Promise<ContextCoreModule> {
  return contextCore;
}
