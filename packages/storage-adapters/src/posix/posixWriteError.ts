import { InvalidKeyError, NotFoundError, TransientError } from "../errors.js";
import { errnoCode, posixError } from "./posixError.js";

/** Whether a file-system error (or ours) means "there is no such object". */
export function isMissing(error: unknown): boolean {
  const code = errnoCode(error);
  return code === "ENOENT" || code === "ENOTDIR" || error instanceof NotFoundError;
}

/** A key below an existing object: a file system cannot hold `a` and `a/b` both. */
export function parentIsObject(uri: string, cause: unknown): InvalidKeyError {
  return new InvalidKeyError(
    uri,
    "a parent of the key is an object; a file system cannot hold both",
    { cause },
  );
}

/** Turns an error met while writing `uri` into the typed error callers branch on. */
export function mapWriteError(error: unknown, uri: string): unknown {
  const code = errnoCode(error);
  if (code === "EISDIR") return new InvalidKeyError(uri, "it names a folder", { cause: error });
  if (code === "ENOTDIR") return parentIsObject(uri, error);
  // ENOENT while writing means the folder vanished under us, not that the object is missing.
  if (code === "ENOENT")
    return new TransientError(uri, "the folder was removed while writing", { cause: error });
  return posixError(error, uri);
}
