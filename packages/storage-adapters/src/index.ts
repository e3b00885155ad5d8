/**
 * @flyte/storage-adapters: one `Storage` interface, dispatched by URI scheme.
 *
 * The root entry holds the interface, the typed errors, the registry, the posix adapter
 * (disk and `memory://`) and the retry wrapper. It imports no cloud SDK. The cloud adapters
 * live on subpaths, loaded on first use of their scheme or imported directly:
 * - `@flyte/storage-adapters/s3`: `createS3Storage(location, options)` on `@aws-sdk/client-s3`;
 * - `@flyte/storage-adapters/azure`: `createAzureStorage(location, options)` on `@azure/storage-blob`.
 * The storage contract suite, for adapter authors, is `@flyte/storage-adapters/contract`.
 */
export type {
  Bytes,
  Capabilities,
  DeleteOptions,
  FileCopyOptions,
  FileStorage,
  GetOptions,
  GetToFileOptions,
  HeadOptions,
  ListEntry,
  ListOptions,
  ObjectMeta,
  OperationOptions,
  PreflightCheckOptions,
  PutMode,
  PutFileOptions,
  PutOptions,
  PutStreamOptions,
  Storage,
  SyncStorage,
} from "./Storage.js";
export type { MissingPackage, StorageErrorCode } from "./errors.js";
export {
  AlreadyExistsError,
  InvalidArgumentError,
  InvalidKeyError,
  MissingDependencyError,
  NotFoundError,
  PermissionDeniedError,
  PreconditionFailedError,
  StorageConfigurationError,
  StorageError,
  TransientError,
  UnsupportedError,
} from "./errors.js";
export { isFileStorage } from "./isFileStorage.js";
export { isSyncStorage } from "./isSyncStorage.js";
export type {
  PosixDirent,
  PosixFileHandle,
  PosixFs,
  PosixFsPromises,
  PosixStats,
} from "./posix/PosixFs.js";
export type { PosixStorageOptions } from "./posix/PosixStorage.js";
export { PosixStorage } from "./posix/PosixStorage.js";
export { dropMemoryVolume, memoryVolume } from "./posix/memoryVolume.js";
export type { LazyAdapterSpec } from "./registry/LazyStorage.js";
export { LazyStorage } from "./registry/LazyStorage.js";
export type { StorageFactory, StorageLocation, StorageOptions } from "./registry/StorageFactory.js";
export type { ParsedStorageUri } from "./registry/parseStorageUri.js";
export type { PreflightOptions } from "./registry/preflightStorage.js";
export { preflightStorage } from "./registry/preflightStorage.js";
export { parseStorageUri } from "./registry/parseStorageUri.js";
export type { RegisterStorageOptions, ResolvedStorage } from "./registry/registry.js";
export {
  openStorage,
  registerStorage,
  resolveStorage,
  unregisterStorage,
} from "./registry/registry.js";
export type { RetryOptions } from "./retry/withRetry.js";
export { withRetry } from "./retry/withRetry.js";
