/** The codes a {@link ContextError} can carry. */
export type ContextErrorCode =
  | "NO_CONTEXT_DATA"
  | "NO_RAW_DATA_PATH"
  | "INVALID_RAW_DATA_PATH"
  | "INVALID_TASK_CONTEXT"
  | "TOKEN_ALREADY_USED"
  | "TOKEN_WRONG_VARIABLE"
  | "TOKEN_WRONG_BRANCH"
  | "NOT_IN_TASK"
  | "NO_TEMP_DIR"
  /**
   * A `using` scope was in force in two lines of execution at once: an async function entered it
   * before its first await and its caller (or a sibling the caller started) stacked another scope
   * on it. Thrown when the scope is left, or when a scope is entered on top of it.
   */
  | "SCOPE_SHARED";

/**
 * Every error the context core throws. Thrown only for programmer errors, at the moment the bad
 * value is given (a constructor, a `reset`) or the misuse is seen (a scope entered or left),
 * never from `get()` or `ctx()`.
 */
export class ContextError extends Error {
  override readonly name = "ContextError";
  readonly code: ContextErrorCode;

  constructor(code: ContextErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
