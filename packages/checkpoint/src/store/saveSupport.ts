import type { Stats } from "node:fs";
import type { ChecksumAlgorithm } from "../checksum/createChecksum.js";
import { CheckpointAbortedError, CheckpointError, CheckpointInputError } from "../errors.js";
import type { IoContext } from "../IoContext.js";
import { WRITER } from "../manifest.js";
import type { CheckpointFormat, CheckpointVersion } from "../manifest.js";
import type { Located } from "../storageAccess.js";
import { toCheckpointError } from "../storageAccess.js";
import { FileChangedError } from "../tar/packDirectory.js";

/** The manifest version of an object about to be written. */
export function versionFor(
  format: CheckpointFormat,
  algorithm: ChecksumAlgorithm,
  digest: string,
  size: number,
  io: IoContext,
  expandedSize?: number,
): CheckpointVersion {
  return {
    format,
    size,
    [algorithm]: digest,
    ...(format === "dir" ? { compression: "gzip" as const } : {}),
    ...(expandedSize !== undefined ? { expandedSize } : {}),
    ...(io.attempt !== undefined ? { attempt: io.attempt } : {}),
    createdAt: new Date().toISOString(),
    writer: WRITER,
  };
}

/** Whether a file is, by every stat field a write changes, the one `before` described. */
export function sameFileVersion(before: Stats, after: Stats): boolean {
  return (
    after.ino === before.ino &&
    after.size === before.size &&
    after.mtimeMs === before.mtimeMs &&
    after.ctimeMs === before.ctimeMs
  );
}

/** The error of a file that changed while it was saved: what went up may not be what was summed. */
export function fileChangedWhileSaving(path: string): CheckpointInputError {
  return new CheckpointInputError(path, "file changed while it was being saved; save it again");
}

/**
 * Refuses, before anything is published, a directory archive that a `load` under the same
 * limits would refuse: one that expands past `maxBytes`, or more than `maxRatio`:1 past the
 * grace size (a directory of gigabytes of zeros looks exactly like a gzip bomb).
 */
export function checkArchiveLoadable(
  dir: string,
  io: IoContext,
  tarSize: number,
  gzipSize: number,
): void {
  const { maxBytes, maxRatio, ratioGraceBytes } = io.limits;
  if (tarSize > maxBytes) {
    throw new CheckpointInputError(
      dir,
      `the directory archives to ${tarSize} bytes, past limits.maxBytes (${maxBytes}): load() would refuse it`,
    );
  }
  if (tarSize > ratioGraceBytes && tarSize > maxRatio * Math.max(gzipSize, 1)) {
    throw new CheckpointInputError(
      dir,
      `the directory compresses more than ${maxRatio}:1 (${tarSize} bytes into ${gzipSize}), which load() refuses as a likely gzip bomb: raise limits.maxRatio, or keep such files out of the checkpoint`,
    );
  }
}

/** Whether `error` came from this machine's file system (a Node fs error), not from a storage. */
function isLocalFsError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).syscall === "string" &&
    (error as { uri?: unknown }).uri === undefined
  );
}

/**
 * Maps a failure while saving: an abort of `signal` wins; a problem of the local source (it
 * vanished, is unreadable, changed) is the caller's input; the rest is the storage's.
 */
export function saveError(
  error: unknown,
  where: Located,
  path: string | undefined,
  signal?: AbortSignal,
): CheckpointError {
  if (signal?.aborted)
    return error instanceof CheckpointAbortedError
      ? error
      : new CheckpointAbortedError(where.uri, signal.reason);
  if (error instanceof CheckpointError) return error;
  if (error instanceof FileChangedError)
    return new CheckpointInputError(error.path, error.message, { cause: error });
  const code = (error as { code?: unknown } | null)?.code;
  if (
    path !== undefined &&
    isLocalFsError(error) &&
    (code === "ENOENT" ||
      code === "EACCES" ||
      code === "ELOOP" ||
      code === "ENOTDIR" ||
      code === "EISDIR")
  ) {
    return new CheckpointInputError(
      error.path ?? path,
      `cannot read the checkpoint source: ${error.message}`,
      { cause: error },
    );
  }
  return toCheckpointError(error, where.uri, "save");
}
