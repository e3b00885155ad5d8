import { CheckpointAbortedError, CheckpointCorruptError, CheckpointError } from "./errors.js";
import { toCheckpointError } from "./storageAccess.js";

/**
 * Maps a failure during a restore: an abort of `signal` becomes {@link CheckpointAbortedError}
 * whatever surfaced; archive damage (our tar reader's `TypeError`, a zlib `Z_*` error, a
 * truncated stream) becomes {@link CheckpointCorruptError}; storage failures keep their typed
 * mapping; checkpoint errors pass through.
 */
export function classifyRestoreError(
  error: unknown,
  uri: string,
  signal?: AbortSignal,
): CheckpointError {
  if (signal?.aborted)
    return error instanceof CheckpointAbortedError
      ? error
      : new CheckpointAbortedError(uri, signal.reason);
  if (error instanceof CheckpointError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof TypeError || (typeof code === "string" && code.startsWith("Z_"))) {
    return new CheckpointCorruptError(
      uri,
      `checkpoint archive is corrupt or truncated: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return toCheckpointError(error, uri, "load");
}

/**
 * Whether `error` is the tar reader or the inflater failing on the bytes (not a refused entry,
 * not a limit): what reading the wrong object, or a damaged one, looks like.
 */
export function isArchiveDamage(error: unknown): boolean {
  if (error instanceof CheckpointError) return false;
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof TypeError || (typeof code === "string" && code.startsWith("Z_"));
}
