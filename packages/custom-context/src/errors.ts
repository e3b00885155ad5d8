/** What went wrong, as a {@link CustomContextError} reports it. */
export type CustomContextErrorCode =
  /** The values given are not a plain object of strings. */
  | "INVALID_VALUES"
  /** A key is not a string (a symbol key, or a non-string key on the wire). */
  | "NON_STRING_KEY"
  /** A value is not a string. */
  | "NON_STRING_VALUE"
  /** A key is the empty string. */
  | "EMPTY_KEY"
  /** A key does not match the documented pattern, or is longer than allowed. */
  | "MALFORMED_KEY"
  /** A key starts with a reserved prefix (`_u_`, `_f_`). */
  | "RESERVED_KEY"
  /** A value is not well-formed Unicode (a lone surrogate): it could not cross a process boundary. */
  | "MALFORMED_VALUE"
  /** The merged map would have more entries than the configured limit. */
  | "TOO_MANY_ENTRIES"
  /** The merged map would be larger (UTF-8 bytes of keys and values) than the configured limit. */
  | "TOO_LARGE"
  /** `customContext(values, fn)` was given something other than a function. */
  | "INVALID_CALLBACK"
  /** `configureCustomContextLimits` was given a bad limit. */
  | "INVALID_LIMITS";

/**
 * Every error this package throws, at the moment the bad input is given (a scope entered, a map
 * merged), never later. Extends `TypeError` because bad custom context is
 * bad input, as a wrong argument type is. `key` names the offending key when there is one.
 */
export class CustomContextError extends TypeError {
  override readonly name = "CustomContextError";
  readonly code: CustomContextErrorCode;
  /** The key the error is about, when it is about one. */
  readonly key: string | undefined;

  constructor(
    code: CustomContextErrorCode,
    message: string,
    options?: { key?: string; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.key = options?.key;
  }
}

/** A key as it appears in an error message: quoted, and cut short when very long. */
export function showKey(key: string): string {
  const shown = key.length > 64 ? `${key.slice(0, 61)}...` : key;
  return JSON.stringify(shown);
}
