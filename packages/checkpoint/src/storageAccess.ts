import { isSyncStorage, resolveStorage } from "@flyte/storage-adapters";
import type { Storage, SyncStorage } from "@flyte/storage-adapters";
import {
  CheckpointAbortedError,
  CheckpointAccessError,
  CheckpointConfigurationError,
  CheckpointError,
  CheckpointNoSpaceError,
  CheckpointReadOnlyError,
  CheckpointUnavailableError,
} from "./errors.js";

/** Turns a URI into the storage that holds it and the key inside it (as `resolveStorage` does). */
export type StorageResolver = (uri: string) => { storage: Storage; key: string };

/**
 * Where a checkpoint's storage comes from: a resolver (the default is `resolveStorage` from
 * `@flyte/storage-adapters`), or one `Storage` instance, in which case the destination and
 * source strings are keys inside it.
 */
export type CheckpointStorageOption = Storage | StorageResolver;

/** One resolved checkpoint object. */
export interface Located {
  readonly uri: string;
  readonly storage: Storage;
  readonly key: string;
}

/** Resolves `uri` through the option (or the registry), mapping failures to typed errors. */
export function locate(uri: string, option: CheckpointStorageOption | undefined): Located {
  try {
    if (option === undefined) return { uri, ...resolveStorage(uri) };
    if (typeof option === "function") {
      const { storage, key } = option(uri);
      return { uri, storage, key };
    }
    return { uri, storage: option, key: uri };
  } catch (error) {
    throw toCheckpointError(error, uri, "resolve the storage of");
  }
}

/** The blocking view of a located storage, or a configuration error saying it has none. */
export function syncView(where: Located): SyncStorage {
  if (!isSyncStorage(where.storage)) {
    throw new CheckpointConfigurationError(
      where.uri,
      `storage "${where.storage.scheme}" has no synchronous twin (SyncStorage); use load()/save() or an adapter with sync support`,
    );
  }
  return where.storage;
}

function storageCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** The errno-style code of an error or of its causes (a storage error wraps the file system's). */
function deepCode(error: unknown, codes: ReadonlySet<string>): string | undefined {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    const code = storageCode(e);
    if (code !== undefined && codes.has(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

const NO_SPACE = new Set(["NO_SPACE", "ENOSPC", "EDQUOT"]);
const READ_ONLY = new Set(["READ_ONLY", "EROFS"]);

/** True for the storage's "object not found" (by code, so a second copy of the package matches too). */
export function isNotFound(error: unknown): boolean {
  return storageCode(error) === "NOT_FOUND";
}

/** True for the storage's transient failure (by code, as {@link isNotFound}). */
export function isTransient(error: unknown): boolean {
  return storageCode(error) === "TRANSIENT";
}

/** True for a lost conditional write (`"create"` on an existing key, `{ ifMatch }` on a changed one). */
export function isConflict(error: unknown): boolean {
  const code = storageCode(error);
  return code === "ALREADY_EXISTS" || code === "PRECONDITION_FAILED";
}

/**
 * The message of `error` without the ` (<uri>)` a storage error ends with: the checkpoint error
 * made from it names its own URI, once.
 */
function ownMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // A storage error says what went wrong without its URI in `detail`.
  const detail = (error as { detail?: unknown }).detail;
  if (typeof detail === "string") return detail;
  const uri = (error as { uri?: unknown }).uri;
  const suffix = typeof uri === "string" ? ` (${uri})` : undefined;
  return suffix !== undefined && error.message.endsWith(suffix)
    ? error.message.slice(0, -suffix.length)
    : error.message;
}

/**
 * Maps a storage or file-system failure to a typed checkpoint error naming `uri`. Never maps
 * anything to "no checkpoint": only `NOT_FOUND` means that, and callers check it first.
 */
export function toCheckpointError(error: unknown, uri: string, doing: string): CheckpointError {
  if (error instanceof CheckpointError) return error;
  const message = ownMessage(error);
  const code = storageCode(error);
  if (code === "ABORT_ERR" || (error instanceof Error && error.name === "AbortError")) {
    return new CheckpointAbortedError(uri, (error as { cause?: unknown }).cause ?? error);
  }
  if (deepCode(error, NO_SPACE) !== undefined) {
    return new CheckpointNoSpaceError(
      uri,
      `no space left while trying to ${doing} the checkpoint: ${message}`,
      { cause: error },
    );
  }
  if (deepCode(error, READ_ONLY) !== undefined) {
    return new CheckpointReadOnlyError(
      uri,
      `read-only file system while trying to ${doing} the checkpoint: ${message}`,
      { cause: error },
    );
  }
  switch (code) {
    case "PERMISSION_DENIED":
    case "EACCES":
    case "EPERM":
      return new CheckpointAccessError(
        uri,
        `permission denied while trying to ${doing} the checkpoint: ${message}`,
        { cause: error },
      );
    case "TRANSIENT":
    case "ETIMEDOUT":
    case "ECONNRESET":
    case "ECONNREFUSED":
      return new CheckpointUnavailableError(
        uri,
        `storage unavailable while trying to ${doing} the checkpoint: ${message}`,
        { cause: error },
      );
    case "CONFIGURATION":
    case "INVALID_KEY":
    case "INVALID_ARGUMENT":
    case "MISSING_DEPENDENCY":
    case "UNSUPPORTED":
      return new CheckpointConfigurationError(
        uri,
        `cannot ${doing} the checkpoint, storage is misconfigured: ${message}`,
        { cause: error },
      );
    default:
      return new CheckpointError(uri, `failed to ${doing} the checkpoint: ${message}`, {
        cause: error,
      });
  }
}
