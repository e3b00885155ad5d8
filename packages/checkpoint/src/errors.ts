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

/** The stored object does not match the manifest that vouches for it (size or checksum). */
export class CheckpointChecksumError extends CheckpointCorruptError {
  override readonly name = "CheckpointChecksumError";
  readonly expected: CheckpointDigest;
  readonly actual: CheckpointDigest;

  constructor(uri: string, expected: CheckpointDigest, actual: CheckpointDigest) {
    super(
      uri,
      `checkpoint checksum mismatch: manifest says ${describeDigest(expected)}, object has ${describeDigest(actual)}`,
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

/** `save` was given something it cannot store (a missing path, a socket, a non-JSON value). */
export class CheckpointInputError extends CheckpointError {
  override readonly name = "CheckpointInputError";
}

/** The checkpoint exists but is not of the kind asked for (`loadBytes` on a directory, invalid JSON). */
export class CheckpointFormatError extends CheckpointError {
  override readonly name = "CheckpointFormatError";
}

/** The call is not allowed now: the checkpoint is disposed, or a sync call overlaps an async one. */
export class CheckpointStateError extends CheckpointError {
  override readonly name = "CheckpointStateError";
}
