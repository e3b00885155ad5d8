import {
  AlreadyExistsError,
  NotFoundError,
  PermissionDeniedError,
  PreconditionFailedError,
  StorageConfigurationError,
  StorageError,
  TransientError,
} from "../errors.js";

/** What the failed request was doing, which decides what a 409 or 412 means. */
export type AzureIntent = "read" | "create" | "ifMatch" | "write" | "list" | "delete";

/** The Azure error code and HTTP status of an SDK or network error, where it has them. */
export function azureErrorInfo(error: unknown): { code: string; status: number | undefined } {
  const e = (error ?? {}) as {
    code?: unknown;
    statusCode?: unknown;
    details?: { errorCode?: unknown };
    name?: string;
  };
  const code =
    (typeof e.details?.errorCode === "string" ? e.details.errorCode : undefined) ??
    (typeof e.code === "string" ? e.code : undefined) ??
    e.name ??
    "Error";
  return { code, status: typeof e.statusCode === "number" ? e.statusCode : undefined };
}

/**
 * Turns an `@azure/storage-blob` error into this package's typed error for `uri`, keeping it as
 * `cause`. Messages carry the URI and the Azure error code only, never request details.
 */
export function azureError(
  error: unknown,
  uri: string,
  intent: AzureIntent,
  container: string,
): Error {
  if (error instanceof StorageError) return error;
  if ((error as { name?: string } | undefined)?.name === "AbortError") return error as Error;
  const { code, status } = azureErrorInfo(error);
  const options = { cause: error };
  if (code === "ContainerNotFound") {
    return new StorageConfigurationError(
      uri,
      `Azure container "${container}" does not exist`,
      options,
    );
  }
  if (code === "BlobAlreadyExists" || (status === 409 && intent === "create"))
    return new AlreadyExistsError(uri, options);
  if (status === 412 || code === "ConditionNotMet") {
    return intent === "create"
      ? new AlreadyExistsError(uri, options)
      : new PreconditionFailedError(uri, options);
  }
  if (code === "BlobNotFound" || status === 404) return new NotFoundError(uri, options);
  if (status === 403 || code === "AuthorizationFailure" || code === "AuthenticationFailed") {
    return new PermissionDeniedError(uri, options);
  }
  if (
    status === undefined ||
    status >= 500 ||
    status === 408 ||
    status === 429 ||
    code === "ServerBusy"
  ) {
    return new TransientError(
      uri,
      `transient Azure fault (${code}${status ? ` ${status}` : ""})`,
      options,
    );
  }
  return new StorageConfigurationError(
    uri,
    `Azure refused the request (${code} ${status})`,
    options,
  );
}
