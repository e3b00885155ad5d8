import {
  AlreadyExistsError,
  NotFoundError,
  PermissionDeniedError,
  PreconditionFailedError,
  StorageConfigurationError,
  StorageError,
  TransientError,
} from "../errors.js";

/** What the failed request was doing, which decides what a 412 or a 404 means. */
export type S3Intent = "read" | "create" | "ifMatch" | "write" | "list" | "delete";

const transientCodes = new Set([
  "ConditionalRequestConflict", // a concurrent conditional write is in flight; retrying is safe
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "RequestTimeout",
  "RequestTimeTooSkewed",
  "InternalError",
  "ServiceUnavailable",
  "TimeoutError",
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "UND_ERR_SOCKET",
]);
const deniedCodes = new Set([
  "AccessDenied",
  "Forbidden",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "InvalidToken",
]);

interface SdkErrorShape {
  name?: string;
  code?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

/** The S3 error code and HTTP status of an SDK or network error, where it has them. */
export function s3ErrorInfo(error: unknown): { code: string; status: number | undefined } {
  const e = (error ?? {}) as SdkErrorShape;
  return { code: e.Code ?? e.code ?? e.name ?? "Error", status: e.$metadata?.httpStatusCode };
}

/**
 * Turns an SDK error into this package's typed error for `uri`, keeping the SDK error as `cause`.
 * Messages are built from the URI and the S3 error code only: nothing from the request (which
 * carries the signature) goes into them. An abort is passed through unchanged.
 */
export function s3Error(error: unknown, uri: string, intent: S3Intent, bucket: string): Error {
  if (error instanceof StorageError) return error;
  if ((error as { name?: string } | undefined)?.name === "AbortError") return error as Error;
  const { code, status } = s3ErrorInfo(error);
  const options = { cause: error };
  if (code === "NoSuchBucket") {
    return new StorageConfigurationError(uri, `S3 bucket "${bucket}" does not exist`, options);
  }
  if (status === 412 || code === "PreconditionFailed") {
    if (intent === "create") return new AlreadyExistsError(uri, options);
    return new PreconditionFailedError(uri, options);
  }
  if (code === "NoSuchKey" || code === "NotFound" || status === 404)
    return new NotFoundError(uri, options);
  if (deniedCodes.has(code) || status === 403) return new PermissionDeniedError(uri, options);
  if (
    transientCodes.has(code) ||
    (status !== undefined && status >= 500) ||
    status === 429 ||
    (error as SdkErrorShape | undefined)?.$retryable !== undefined
  ) {
    return new TransientError(
      uri,
      `transient S3 fault (${code}${status ? ` ${status}` : ""})`,
      options,
    );
  }
  if (status !== undefined && status >= 400) {
    return new StorageConfigurationError(
      uri,
      `S3 refused the request (${code} ${status})`,
      options,
    );
  }
  // No HTTP status: a network-level fault (socket closed, DNS) the SDK gave up retrying.
  return new TransientError(uri, `S3 request failed (${code})`, options);
}
