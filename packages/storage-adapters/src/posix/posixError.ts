import {
  InvalidKeyError,
  NotFoundError,
  PermissionDeniedError,
  StorageError,
  TransientError,
} from "../errors.js";

/** The errno code of a Node or memfs error, if it has one. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

const transientCodes = new Set([
  "EMFILE",
  "ENFILE",
  "EAGAIN",
  "EBUSY",
  "EINTR",
  "ETIMEDOUT",
  "EIO",
]);

/** Turns a file-system error into the typed storage error callers branch on, keeping it as `cause`. */
export function posixError(error: unknown, uri: string): unknown {
  if (error instanceof StorageError) return error;
  const code = errnoCode(error);
  if (code === undefined) return error;
  const cause = { cause: error };
  if (code === "ENOENT" || code === "ENOTDIR") return new NotFoundError(uri, cause);
  if (code === "EACCES" || code === "EPERM") return new PermissionDeniedError(uri, cause);
  // Not "permission denied": no retry and no change of credentials helps; the caller must see which.
  if (code === "EROFS")
    return new StorageError("READ_ONLY", uri, "the file system is read-only", cause);
  if (code === "ENOSPC" || code === "EDQUOT")
    return new StorageError("NO_SPACE", uri, `no space left on the device (${code})`, cause);
  if (transientCodes.has(code))
    return new TransientError(uri, `transient file-system fault ${code}`, cause);
  if (code === "ENAMETOOLONG")
    return new InvalidKeyError(uri, "a name in it is too long for the file system", cause);
  if (code === "ELOOP")
    return new InvalidKeyError(uri, "it goes through a symbolic-link loop", cause);
  return new StorageError("IO", uri, `file-system error ${code}`, cause);
}
