import type { Storage } from "../Storage.js";

/**
 * Where a storage instance points: one scheme and one bucket, container or volume. The
 * registry builds one instance per location and options, and hands keys to it separately.
 */
export interface StorageLocation {
  /** Lower-case scheme: `s3`, `abfs`, `abfss`, `az`, `memory`, `file`, or a user's own. */
  readonly scheme: string;
  /**
   * The URI authority: the S3 bucket, `container@account.dfs.core.windows.net` for abfs(s),
   * the volume name for `memory`, `""` for `file`.
   */
  readonly bucket: string;
  /** The root URI the instance serves, e.g. `s3://bucket` (no key, no trailing slash). */
  readonly uri: string;
}

/** Adapter options, as given to `resolveStorage(uri, options)`; each adapter documents its own. */
export type StorageOptions = Readonly<Record<string, unknown>>;

/**
 * Builds the storage for one location. Called synchronously by `resolveStorage` and at most
 * once per (scheme, bucket, options): an adapter that needs async set-up does it lazily on its
 * first operation. The cloud subpaths export theirs as `createS3Storage` and
 * `createAzureStorage` with this shape.
 */
export type StorageFactory = (location: StorageLocation, options?: StorageOptions) => Storage;
