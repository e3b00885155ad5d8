/**
 * Typed storage errors. Each names the URI it concerns and keeps the backend's own error as
 * `cause`, so callers can branch on the class and still see what the backend said.
 */

/** The codes a {@link StorageError} can carry. */
export type StorageErrorCode =
  | "NOT_FOUND"
  | "ALREADY_EXISTS"
  | "PRECONDITION_FAILED"
  | "UNSUPPORTED"
  | "PERMISSION_DENIED"
  | "TRANSIENT"
  | "INVALID_KEY"
  | "INVALID_ARGUMENT"
  | "IO"
  | "NO_SPACE"
  | "READ_ONLY"
  | "CONFIGURATION"
  | "MISSING_DEPENDENCY";

/** Base class of every error this package throws. */
export class StorageError extends Error {
  override readonly name: string = "StorageError";
  /** The URI (scheme, bucket and key) the failed operation concerned. */
  readonly uri: string;
  readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, uri: string, message: string, options?: { cause?: unknown }) {
    super(`${message} (${uri})`, options);
    this.code = code;
    this.uri = uri;
  }
}

/** The object does not exist. */
export class NotFoundError extends StorageError {
  override readonly name = "NotFoundError";
  constructor(uri: string, options?: { cause?: unknown }) {
    super("NOT_FOUND", uri, "object not found", options);
  }
}

/** An exclusive create (`mode: "create"`) lost: the key already exists. Nothing was written. */
export class AlreadyExistsError extends StorageError {
  override readonly name = "AlreadyExistsError";
  constructor(uri: string, options?: { cause?: unknown }) {
    super("ALREADY_EXISTS", uri, "object already exists", options);
  }
}

/** A compare-and-swap (`mode: { ifMatch }`) lost: the stored etag differs. Nothing was written. */
export class PreconditionFailedError extends StorageError {
  override readonly name = "PreconditionFailedError";
  constructor(uri: string, options?: { cause?: unknown }) {
    super("PRECONDITION_FAILED", uri, "precondition failed: the object changed", options);
  }
}

/** The backend cannot honour what was asked (a mode, a range); it never silently does something else. */
export class UnsupportedError extends StorageError {
  override readonly name = "UnsupportedError";
  constructor(uri: string, what: string, options?: { cause?: unknown }) {
    super("UNSUPPORTED", uri, `unsupported: ${what}`, options);
  }
}

/** The backend refused access. */
export class PermissionDeniedError extends StorageError {
  override readonly name = "PermissionDeniedError";
  constructor(uri: string, options?: { cause?: unknown }) {
    super("PERMISSION_DENIED", uri, "permission denied", options);
  }
}

/** A fault that may pass (network reset, throttling, 5xx) and that outlived the adapter's retries. */
export class TransientError extends StorageError {
  override readonly name = "TransientError";
  constructor(uri: string, message = "transient storage fault", options?: { cause?: unknown }) {
    super("TRANSIENT", uri, message, options);
  }
}

/** A key that is malformed or would escape the adapter's root (`..`, absolute, NUL, outside symlink). */
export class InvalidKeyError extends StorageError {
  override readonly name = "InvalidKeyError";
  constructor(uri: string, reason: string, options?: { cause?: unknown }) {
    super("INVALID_KEY", uri, `invalid key: ${reason}`, options);
  }
}

/** An argument other than the key is malformed: a bad range, put mode, body or option. */
export class InvalidArgumentError extends StorageError {
  override readonly name = "InvalidArgumentError";
  constructor(uri: string, reason: string, options?: { cause?: unknown }) {
    super("INVALID_ARGUMENT", uri, `invalid argument: ${reason}`, options);
  }
}

/** Storage is configured wrongly: unknown scheme, missing bucket or container, bad options. */
export class StorageConfigurationError extends StorageError {
  override readonly name = "StorageConfigurationError";
  constructor(uri: string, message: string, options?: { cause?: unknown }) {
    super("CONFIGURATION", uri, message, options);
  }
}

/** An optional peer SDK (`@aws-sdk/client-s3`, `@azure/storage-blob`) is not installed. */
export class MissingDependencyError extends StorageError {
  override readonly name = "MissingDependencyError";
  constructor(uri: string, packages: readonly string[], options?: { cause?: unknown }) {
    super(
      "MISSING_DEPENDENCY",
      uri,
      `this scheme needs ${packages.join(" and ")}: install it with \`pnpm add ${packages.join(" ")}\``,
      options,
    );
  }
}
