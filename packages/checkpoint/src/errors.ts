/**
 * Typed checkpoint errors. Every one names the checkpoint URI it concerns and keeps the
 * underlying error as `cause`, so a task can branch on the class and still see what the
 * storage or the archive said. None of them ever means "no checkpoint": that is `undefined`.
 */

/** Base class of every error this package throws. */
export class CheckpointError extends Error {
  override readonly name: string = "CheckpointError";
  /** The checkpoint URI (or local path, for save input) the failure concerns. */
  readonly uri: string;

  constructor(uri: string, message: string, options?: { cause?: unknown }) {
    super(`${message} (${uri})`, options);
    this.uri = uri;
  }
}

/** The stored checkpoint is damaged: a corrupt or truncated archive, an unreadable manifest. */
export class CheckpointCorruptError extends CheckpointError {
  override readonly name: string = "CheckpointCorruptError";
}

/**
 * What {@link CheckpointChecksumError} compares: a size and the checksum the manifest chose
 * (`crc32` by default, `sha256` when the writer asked for it or predates CRC-32).
 */
export interface CheckpointDigest {
  readonly size: number;
  readonly crc32?: string;
  readonly sha256?: string;
}

/**
 * The stored object matches no version its manifest vouches for (size or checksum): it was
 * damaged (a flipped byte, a truncation, bytes appended) after it was written. An interrupted
 * or concurrent save never causes it: the manifest vouches for every version a save may leave.
 */
export class CheckpointChecksumError extends CheckpointCorruptError {
  override readonly name = "CheckpointChecksumError";
  /** The version the object was compared with (one of its size, else the newest). */
  readonly expected: CheckpointDigest;
  readonly actual: CheckpointDigest;

  /** @param versions how many versions the manifest vouches for (all were compared). */
  constructor(uri: string, expected: CheckpointDigest, actual: CheckpointDigest, versions = 1) {
    super(
      uri,
      versions > 1
        ? `checkpoint checksum mismatch: the object (${describeDigest(actual)}) matches none of the ${versions} versions its manifest vouches for (the likeliest: ${describeDigest(expected)})`
        : `checkpoint checksum mismatch: manifest says ${describeDigest(expected)}, object has ${describeDigest(actual)}`,
    );
    this.expected = expected;
    this.actual = actual;
  }
}

function describeDigest(d: CheckpointDigest): string {
  const sums = [
    d.sha256 !== undefined ? `sha256 ${d.sha256}` : "",
    d.crc32 !== undefined ? `crc32 ${d.crc32}` : "",
  ];
  return [`${d.size} bytes`, ...sums.filter((x) => x !== "")].join(" ");
}

/**
 * An archive entry would land outside the workspace (absolute path, `..`, a link pointing
 * out) or is a device/FIFO. Nothing was published: the partial restore is discarded.
 */
export class CheckpointUnsafeEntryError extends CheckpointCorruptError {
  override readonly name = "CheckpointUnsafeEntryError";
  /** The entry name as stored in the archive. */
  readonly entry: string;

  constructor(uri: string, entry: string, reason: string) {
    super(uri, `unsafe archive entry ${JSON.stringify(entry)}: ${reason}`);
    this.entry = entry;
  }
}

/** Restoring would exceed a configured limit (expanded size, compression ratio, entry count). */
export class CheckpointTooLargeError extends CheckpointError {
  override readonly name = "CheckpointTooLargeError";
}

/** The storage refused access to the checkpoint (permission denied). */
export class CheckpointAccessError extends CheckpointError {
  override readonly name = "CheckpointAccessError";
}

/**
 * The storage (or the local disk the workspace is on) has no space left (`ENOSPC`, `EDQUOT`).
 * Nothing was published: the previous checkpoint is as it was. `code` is `"NO_SPACE"`.
 */
export class CheckpointNoSpaceError extends CheckpointError {
  override readonly name = "CheckpointNoSpaceError";
  readonly code = "NO_SPACE";
}

/**
 * The storage (or the local disk the workspace is on) is mounted read-only (`EROFS`): a save
 * cannot succeed on any retry until it is remounted. `code` is `"READ_ONLY"`.
 */
export class CheckpointReadOnlyError extends CheckpointError {
  override readonly name = "CheckpointReadOnlyError";
  readonly code = "READ_ONLY";
}

/**
 * The call was stopped by its `AbortSignal`: the signal's reason is the `cause` (and
 * `reason`). An aborted save published nothing (the previous checkpoint is as it was), an
 * aborted load restored nothing; the temp files of either are removed.
 */
export class CheckpointAbortedError extends CheckpointError {
  override readonly name = "CheckpointAbortedError";
  /** `"ABORT_ERR"`, as Node's own `AbortError`. */
  readonly code = "ABORT_ERR";
  /** The signal's reason. */
  readonly reason: unknown;

  constructor(uri: string, reason: unknown) {
    super(uri, `the checkpoint call was aborted: ${describeReason(reason)}`, { cause: reason });
    this.reason = reason;
  }
}

function describeReason(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? "no reason given" : String(reason);
}

/** A network or service fault outlived the storage adapter's retries. */
export class CheckpointUnavailableError extends CheckpointError {
  override readonly name = "CheckpointUnavailableError";
}

/**
 * Storage is configured wrongly: a missing bucket or container, an unknown scheme, an invalid
 * key, or no synchronous twin for `loadSync`/`saveSync`. Never read as "no checkpoint".
 */
export class CheckpointConfigurationError extends CheckpointError {
  override readonly name = "CheckpointConfigurationError";
}

/**
 * `save` was given something it cannot store (a missing path, a non-JSON value, a directory
 * holding an entry `load` would refuse). Nothing was written.
 */
export class CheckpointInputError extends CheckpointError {
  override readonly name: string = "CheckpointInputError";
}

/**
 * An entry of a directory given to `save` cannot be stored as something `load` restores: a
 * symlink to an absolute path or one leading out of the directory (a virtualenv's
 * `bin/python`, say), a file name that is not UTF-8. `uri` and `entry` name it. Nothing was
 * written. (Symlinks can be stored as what they point to instead: `followSymlinks: true`.)
 */
export class CheckpointUnsupportedEntryError extends CheckpointInputError {
  override readonly name = "CheckpointUnsupportedEntryError";
  /** The entry's path (undecodable bytes of a name shown as `\xNN`). */
  readonly entry: string;

  constructor(entry: string, reason: string, options?: { cause?: unknown }) {
    super(entry, `cannot save this entry of the directory: ${reason}`, options);
    this.entry = entry;
  }
}

/** The checkpoint exists but is not of the kind asked for (`loadBytes` on a directory, invalid JSON). */
export class CheckpointFormatError extends CheckpointError {
  override readonly name = "CheckpointFormatError";
}

/** The call is not allowed now: the checkpoint is disposed, or a sync call overlaps an async one. */
export class CheckpointStateError extends CheckpointError {
  override readonly name = "CheckpointStateError";
}
