import * as errors from "../errors.js";
import { StorageError } from "../errors.js";
import type { SerializedError } from "./protocol.js";

const builtins: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * Rebuilds an error the worker threw as the same class, with the same name, code, URI and
 * message, so callers of the blocking twins can branch on it exactly as on the async methods.
 * The stack is the caller's, with the worker's stack appended for debugging.
 */
export function reviveError(data: SerializedError): Error {
  const cause = data.cause ? reviveError(data.cause) : undefined;
  const options = cause ? { cause } : undefined;
  const storageClass = (errors as Record<string, unknown>)[data.name];
  let error: Error;
  if (
    typeof storageClass === "function" &&
    (storageClass === StorageError || storageClass.prototype instanceof StorageError) &&
    data.uri !== undefined
  ) {
    // Constructors differ in their arguments; build the base and give it the right prototype.
    error = new StorageError(
      (data.code ?? "TRANSIENT") as errors.StorageErrorCode,
      data.uri,
      "",
      options,
    );
    Object.setPrototypeOf(error, (storageClass as typeof StorageError).prototype);
    Object.defineProperty(error, "name", {
      value: data.name,
      enumerable: true,
      configurable: true,
      writable: false,
    });
  } else {
    error = new (builtins[data.name] ?? Error)(data.message, options);
    if (!(data.name in builtins)) error.name = data.name;
    if (data.code !== undefined) Object.assign(error, { code: data.code });
  }
  error.message = data.message;
  for (const [name, value] of Object.entries(data.fields ?? {})) {
    Object.defineProperty(error, name, { value, enumerable: true, configurable: true });
  }
  if (data.stack !== undefined)
    error.stack = `${error.stack ?? ""}\n    --- in the storage worker ---\n${data.stack}`;
  return error;
}
