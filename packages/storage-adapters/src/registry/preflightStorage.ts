import type { PreflightCheckOptions } from "../Storage.js";
import type { StorageOptions } from "./StorageFactory.js";
import { resolveStorage } from "./registry.js";

/** Options of {@link preflightStorage}. */
export interface PreflightOptions extends PreflightCheckOptions {
  /** The adapter options the run will resolve the URI with, as `resolveStorage(uri, options)`. */
  readonly storageOptions?: StorageOptions;
}

/**
 * Checks, before anything runs, that the storage behind `uri` can work, so that a run whose
 * storage cannot (an `s3://` URI without the AWS SDK installed, an invalid Azure container
 * name) fails at once with a typed error rather than at its first checkpoint, and is not
 * retried as if the task had failed. It resolves the scheme and checks the URI's parts as
 * `resolveStorage` does (`StorageConfigurationError`, `InvalidKeyError`), loads a lazily
 * loaded adapter and its SDK (`MissingDependencyError` naming what to install), and checks
 * names and settings against the provider's rules (bucket, container and account names),
 * all without network access. With `checkAccess`, it also reaches the backend once: a HEAD
 * of the bucket or container, or for local paths a check that the folder can be written to
 * (`StorageConfigurationError` for a missing bucket, `PermissionDeniedError`,
 * `TransientError` for one that cannot be reached). Resolves when all is well.
 *
 * An adapter registered with `registerStorage` is checked by its own `preflight`, if it has
 * one; otherwise as far as resolving its URI goes.
 */
export async function preflightStorage(uri: string, options: PreflightOptions = {}): Promise<void> {
  const { storageOptions, ...check } = options;
  check.signal?.throwIfAborted();
  const { storage } = resolveStorage(uri, storageOptions);
  await storage.preflight?.(check);
}
