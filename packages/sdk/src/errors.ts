/**
 * The typed errors of the task runtime. Programmer errors (bad task options, bad init options)
 * are thrown when the bad value is given; task failures reach the caller as {@link TaskFailedError}
 * with the whole attempt history.
 */

/** What went wrong, as a stable code, for every {@link FlyteSdkError}. */
export type FlyteSdkErrorCode =
  | "INVALID_ENVIRONMENT"
  | "INVALID_TASK"
  | "INVALID_RETRIES"
  | "INVALID_INIT"
  | "INVALID_RUN_CONTEXT"
  | "RUN_EXISTS"
  | "RUN_NOT_FOUND"
  | "RESUME_MISMATCH"
  | "STORAGE"
  | "NOT_IN_TASK"
  | "TASK_FAILED"
  | "TIMEOUT"
  | "CANCELLED"
  | "TASK_NOT_FOUND"
  | "ISOLATION"
  | "ATTEMPT_CRASHED";

/** The base of every error the SDK's task runtime throws (user errors are wrapped, never changed). */
export class FlyteSdkError extends Error {
  override readonly name: string = "FlyteSdkError";
  readonly code: FlyteSdkErrorCode;

  constructor(code: FlyteSdkErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * A task or environment definition was refused (`new TaskEnvironment`, `env.task`), including a
 * retry strategy the Python SDK would refuse. Thrown at definition time, never at the first call.
 */
export class TaskDefinitionError extends FlyteSdkError {
  override readonly name: string = "TaskDefinitionError";
  /** The option that was wrong, e.g. `"retries.backoff.cap"`. */
  readonly option: string;

  constructor(
    code: "INVALID_ENVIRONMENT" | "INVALID_TASK" | "INVALID_RETRIES",
    option: string,
    message: string,
  ) {
    super(code, message);
    this.option = option;
  }
}

/** A retry strategy was refused (a {@link TaskDefinitionError} with code `INVALID_RETRIES`). */
export class RetryStrategyError extends TaskDefinitionError {
  override readonly name: string = "RetryStrategyError";

  constructor(option: string, message: string) {
    super("INVALID_RETRIES", option, message);
  }
}

/** `flyte.init(...)` or `withRunContext(...)` was given an option it cannot use. */
export class ConfigurationError extends FlyteSdkError {
  override readonly name: string = "ConfigurationError";
  /** The option that was wrong, e.g. `"rawDataPath"`. */
  readonly option: string;

  constructor(
    code:
      | "INVALID_INIT"
      | "INVALID_RUN_CONTEXT"
      | "RUN_EXISTS"
      | "RUN_NOT_FOUND"
      | "RESUME_MISMATCH"
      | "STORAGE",
    option: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.option = option;
  }
}

/**
 * Raise it from a task to fail it at once: the remaining retries are skipped (as the Python
 * SDK's `flyte.errors.NonRecoverableError`). A parent whose child failed this way does not retry
 * either, since the same inputs would fail the same way.
 */
export class NonRecoverableError extends Error {
  override readonly name: string = "NonRecoverableError";

  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** One failed attempt of an action. */
export interface AttemptFailure {
  /** 0 for the first attempt. */
  readonly attempt: number;
  /** What the attempt threw (or an {@link AttemptCrashedError} when its process died). */
  readonly error: unknown;
}

/**
 * A task failed for good: every attempt failed, or one failed with a {@link NonRecoverableError}.
 * `cause` is the last attempt's error, unchanged; `attempts` is the history, oldest first.
 * A task always fails with this error (even with no retries), so callers have one type to catch;
 * a child's failure inside a parent appears as the parent attempt's error, nested.
 */
export class TaskFailedError extends FlyteSdkError {
  override readonly name: string = "TaskFailedError";
  /** The task's name (`fn.name`). */
  readonly taskName: string;
  /** The failed action's name (`a0` for the root of a run). */
  readonly actionName: string;
  readonly runName: string;
  /** Every failed attempt, oldest first. */
  readonly attempts: readonly AttemptFailure[];
  /** Whether retrying stopped because the error was a {@link NonRecoverableError}. */
  readonly nonRecoverable: boolean;
  declare readonly cause: unknown;

  constructor(init: {
    taskName: string;
    actionName: string;
    runName: string;
    attempts: readonly AttemptFailure[];
    nonRecoverable: boolean;
  }) {
    const last = init.attempts[init.attempts.length - 1];
    const n = init.attempts.length;
    super(
      "TASK_FAILED",
      `task "${init.taskName}" (action ${init.actionName} of run ${init.runName}) failed after ` +
        `${n} attempt${n === 1 ? "" : "s"}${init.nonRecoverable ? " (non-recoverable)" : ""}: ` +
        describe(last?.error),
      { cause: last?.error },
    );
    this.taskName = init.taskName;
    this.actionName = init.actionName;
    this.runName = init.runName;
    this.attempts = Object.freeze([...init.attempts]);
    this.nonRecoverable = init.nonRecoverable;
  }
}

/**
 * An attempt ran past its task's `timeout` and was aborted (its `ctx().signal` fired with this
 * error as the reason). A per-attempt timeout is retried like any failed attempt; running out of
 * the `total` budget stops retrying.
 */
export class TaskTimeoutError extends FlyteSdkError {
  override readonly name: string = "TaskTimeoutError";
  /** `"attempt"`: one attempt overran; `"total"`: all attempts together did. */
  readonly scope: "attempt" | "total";
  /** The limit that was passed, ms. */
  readonly limitMs: number;
  /** Set for `"total"`: no attempt is left to retry with. */
  readonly nonRecoverable: boolean;

  constructor(taskName: string, scope: "attempt" | "total", limitMs: number, formatted: string) {
    super(
      "TIMEOUT",
      scope === "attempt"
        ? `task "${taskName}": the attempt ran longer than its timeout of ${formatted}`
        : `task "${taskName}": its attempts together ran longer than the total timeout of ${formatted}`,
    );
    this.scope = scope;
    this.limitMs = limitMs;
    this.nonRecoverable = scope === "total";
  }
}

/**
 * The run, or the parent that called this task, was cancelled (Ctrl-C on `flyte run`, the run's
 * `signal`, or a parent that timed out). Never retried: whoever cancelled wants it to stop.
 */
export class RunCancelledError extends FlyteSdkError {
  override readonly name: string = "RunCancelledError";
  readonly nonRecoverable = true;

  constructor(message = "the run was cancelled", options?: { cause?: unknown }) {
    super("CANCELLED", message, options);
  }
}

/** A scope that needs a running task (`flyte.group`) was opened outside one. */
export class NotInTaskError extends FlyteSdkError {
  override readonly name: string = "NotInTaskError";

  constructor(message: string) {
    super("NOT_IN_TASK", message);
  }
}

/** The process that ran an isolated attempt died before reporting a result. */
export class AttemptCrashedError extends FlyteSdkError {
  override readonly name: string = "AttemptCrashedError";
  /** The exit code, when the process exited. */
  readonly exitCode: number | null;
  /** The signal that killed it (`"SIGKILL"`), when one did. */
  readonly signal: string | null;

  constructor(exitCode: number | null, signal: string | null, stderrTail?: string) {
    const how =
      signal !== null ? `was killed by ${signal}` : `exited with code ${String(exitCode)}`;
    const tail = stderrTail !== undefined && stderrTail.length > 0 ? `\n${stderrTail}` : "";
    super("ATTEMPT_CRASHED", `the attempt's process ${how} before reporting a result${tail}`);
    this.exitCode = exitCode;
    this.signal = signal;
  }
}

/** `findTask` found no task of that name in the module. */
export class TaskNotFoundError extends FlyteSdkError {
  override readonly name: string = "TaskNotFoundError";

  constructor(message: string) {
    super("TASK_NOT_FOUND", message);
  }
}

/** A task cannot run in a child process as configured (not exported, storage not shareable...). */
export class IsolationError extends FlyteSdkError {
  override readonly name: string = "IsolationError";
  /** A configuration error: retrying cannot help, so the controller does not. */
  readonly nonRecoverable = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super("ISOLATION", message, options);
  }
}

/** Whether `error` says "do not retry": a {@link NonRecoverableError}, or a task that failed with one. */
export function isNonRecoverable(error: unknown): boolean {
  if (error instanceof NonRecoverableError) return true;
  if (error instanceof TaskFailedError) return error.nonRecoverable;
  // Values the type engine or a schema refused are refused again on every retry.
  if (error instanceof Error && DETERMINISTIC.has(error.name)) return true;
  // Two concurrent helpers sharing a `using` scope: the same code shares it again on a retry.
  if (
    error instanceof Error &&
    error.name === "ContextError" &&
    (error as { code?: unknown }).code === "SCOPE_SHARED"
  )
    return true;
  // An error rebuilt from another process keeps the flag (see isolation/wireError.ts).
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { nonRecoverable?: unknown }).nonRecoverable === true
  );
}

/** Errors of `@flyte/type-engine` that the same inputs and code raise every time. */
const DETERMINISTIC = new Set([
  "InputValidationError",
  "OutputValidationError",
  "TypeMismatchError",
  "TypeDeclarationError",
]);

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
