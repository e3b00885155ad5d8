/**
 * The exit codes of the `flyte` CLI and the `flyte-task` entrypoint, documented once: `--help`
 * and the README are written from {@link EXIT_CODE_TABLE}. Distinct codes let a platform or a
 * script tell "the task failed" from "it was started wrong" without parsing logs.
 */
export const ExitCode = Object.freeze({
  /** Success. For `flyte-task`, also a task failure whose `error.pb` was written (the Flyte contract). */
  OK: 0,
  /** The task failed (after its retries); `flyte checkpoint inspect`: nothing readable at the URI. */
  TASK_FAILED: 1,
  /** A bad command line, flag, environment variable, run option or storage configuration; no task ran. */
  USAGE: 2,
  /** The module could not be loaded, or it holds no task of that name. */
  LOAD_FAILED: 3,
  /** The inputs could not be read, or the outputs could not be written (a result JSON cannot hold, too). */
  IO_FAILED: 4,
  /** The run was cancelled (Ctrl-C); it can be resumed with `--resume`. */
  CANCELLED: 130,
});

/** One of the {@link ExitCode} values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Every exit code with what it means, per command, for help texts and docs. */
export const EXIT_CODE_TABLE: ReadonlyArray<{
  readonly code: ExitCodeValue;
  readonly flyte: string;
  readonly flyteTask: string;
}> = Object.freeze([
  {
    code: ExitCode.OK,
    flyte: "the task succeeded",
    flyteTask: "the task ran: outputs.pb, or error.pb for a task failure, was written",
  },
  {
    code: ExitCode.TASK_FAILED,
    flyte: "the task failed after its retries; inspect: nothing readable at the URI",
    flyteTask: "the task failed and no --outputs-path was given to write error.pb to",
  },
  {
    code: ExitCode.USAGE,
    flyte: "bad command line, option, task argument, run name or storage; no task ran",
    flyteTask: "a flag or environment variable is missing or malformed; no user code ran",
  },
  {
    code: ExitCode.LOAD_FAILED,
    flyte: "the file could not be loaded, or holds no such task",
    flyteTask: "the module could not be loaded, or holds no such task (error.pb written)",
  },
  {
    code: ExitCode.IO_FAILED,
    flyte: "the result cannot be written as JSON",
    flyteTask: "the inputs could not be read, or nothing could be written",
  },
  {
    code: ExitCode.CANCELLED,
    flyte: "cancelled (Ctrl-C); resume it with flyte run --resume <run-name> …",
    flyteTask: "-",
  },
]);

/** The exit code table as help text for one command. */
export function exitCodeHelp(command: "flyte" | "flyteTask"): string {
  return EXIT_CODE_TABLE.filter((row) => row[command] !== "-")
    .map((row) => `  ${String(row.code).padStart(3)}  ${row[command]}`)
    .join("\n");
}
