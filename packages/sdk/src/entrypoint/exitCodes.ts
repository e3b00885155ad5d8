/**
 * The exit codes of the `flyte-task` entrypoint and the `flyte` CLI. Distinct codes let a
 * platform tell "the task failed" from "the container was started wrong" without parsing logs.
 */
export const ExitCode = Object.freeze({
  /** The task ran and returned. */
  OK: 0,
  /** The task ran and threw (after its retries, for `flyte run`). */
  TASK_FAILED: 1,
  /** A flag or environment variable was missing or malformed; no user code ran. */
  USAGE: 2,
  /** The module could not be loaded, or it holds no task of that name. */
  LOAD_FAILED: 3,
  /** The inputs could not be read or the outputs could not be written. */
  IO_FAILED: 4,
});

/** One of the {@link ExitCode} values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
