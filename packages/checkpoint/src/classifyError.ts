import { CheckpointCorruptError, CheckpointError } from "./errors.js";
import { toCheckpointError } from "./storageAccess.js";

/**
 * Maps a failure during a restore: archive damage (our tar reader's `TypeError`, a zlib
 * `Z_*` error, a truncated stream) becomes {@link CheckpointCorruptError}; storage failures keep
 * their typed mapping; checkpoint errors pass through.
 */
export function classifyRestoreError(error: unknown, uri: string): CheckpointError {
  if (error instanceof CheckpointError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof TypeError || (typeof code === "string" && code.startsWith("Z_"))) {
    return new CheckpointCorruptError(uri, `checkpoint archive is corrupt or truncated: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return toCheckpointError(error, uri, "load");
}
