/**
 * Typed storage errors. Each names the URI it concerns and keeps the backend's own error as
 * `cause`, so callers can branch on the class and still see what the backend said.
 */
import { installCommandFor } from "./internal/installCommand.js";

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
  /**
   * What went wrong, without the URI: `message` is `` `${detail} (${uri})` ``. A caller that
   * wraps this error in one of its own that names the URI too uses `detail`, so the URI is
   * printed once.
   */
  readonly detail: string;

  constructor(code: StorageErrorCode, uri: string, message: string, options?: { cause?: unknown }) {
    super(`${message} (${uri})`, options);
    this.code = code;
    this.uri = uri;
    this.detail = message;
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

/** A package to install, with the version range this package supports. */
export interface MissingPackage {
  readonly name: string;
  /** A semver range, e.g. `~12.32.0`; empty when any version will do. */
  readonly range: string;
}

/**
 * An optional peer dependency a scheme needs is not installed (`@aws-sdk/client-s3` and
 * `@aws-sdk/lib-storage` for `s3://`, `@azure/storage-blob` for `abfs://`, `memfs` for
 * `memory://`). Names the packages, with their version ranges, and the command that installs
 * them with the user's package manager.
 */
export class MissingDependencyError extends StorageError {
  override readonly name = "MissingDependencyError";
  /** What to install, each with the range this package supports. */
  readonly packages: readonly MissingPackage[];
  /** The command that installs them, e.g. `npm install "@azure/storage-blob@~12.32.0"`. */
  readonly installCommand: string;

  /**
   * @param packages names (any version) or `{ name, range }`
   * @param options.installCommand the command to suggest; by default one for the package
   *   manager this process was started by (see `installCommandFor`)
   */
  constructor(
    uri: string,
    packages: readonly (string | MissingPackage)[],
    options?: { cause?: unknown; installCommand?: string },
  ) {
    const list = packages.map((p) => (typeof p === "string" ? { name: p, range: "" } : p));
    const command = options?.installCommand ?? installCommandFor(list);
    const names = list.map((p) => p.name);
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(uri)?.[0] ?? "this storage";
    super(
      "MISSING_DEPENDENCY",
      uri,
      `${scheme} needs ${names.join(" and ")}, which ${names.length > 1 ? "are" : "is"} not installed: install ${names.length > 1 ? "them" : "it"} with \`${command}\``,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.packages = Object.freeze(list.map((p) => Object.freeze({ ...p })));
    this.installCommand = command;
  }
}
