/**
 * The Flyte container contract, as one table: each flag of the `flyte-task` entrypoint, the
 * environment variable it falls back to, whether it is required, and what it means. The parser,
 * `--help` and the README are all written from it, so they cannot disagree.
 */
export interface EntrypointFlag {
  /** Long flag name, without the leading `--`. */
  readonly flag: string;
  /** One-letter form, as the Python SDK's runtime accepts it. */
  readonly short?: string;
  /** Environment variable read when the flag is absent (the flag wins when both are set). */
  readonly env?: string;
  /** Required after the flag/env merge; a missing value stops the entrypoint before user code. */
  readonly required: boolean;
  /** The flag may be given more than once. */
  readonly multiple?: boolean;
  /** What the value means, for `--help` and the README. */
  readonly meaning: string;
}

/** Every value-taking flag of `flyte-task`, in the order `--help` prints them. */
export const ENTRYPOINT_FLAGS: readonly EntrypointFlag[] = Object.freeze([
  { flag: "run-name", env: "RUN_NAME", required: true, meaning: "the run this action belongs to" },
  {
    flag: "name",
    env: "ACTION_NAME",
    required: true,
    meaning: "this action's name (a0 for the root)",
  },
  {
    flag: "project",
    env: "FLYTE_INTERNAL_EXECUTION_PROJECT",
    required: true,
    meaning: "project of the run",
  },
  {
    flag: "domain",
    env: "FLYTE_INTERNAL_EXECUTION_DOMAIN",
    required: true,
    meaning: "domain of the run",
  },
  { flag: "org", env: "_U_ORG_NAME", required: true, meaning: "organisation of the run" },
  {
    flag: "run-base-dir",
    env: "_U_RUN_BASE",
    required: true,
    meaning: "metadata prefix of the run; children's outputs live under it",
  },
  {
    flag: "attempt-number",
    env: "FLYTE_ATTEMPT_NUMBER",
    required: false,
    meaning: "0 on the first attempt, 1 after one retry, … (whole number ≥ 0; default 0)",
  },
  {
    flag: "raw-data-path",
    short: "r",
    required: false,
    meaning: "prefix for raw data of this attempt (default: <run-base-dir>/_raw)",
  },
  {
    flag: "checkpoint-path",
    short: "c",
    required: false,
    meaning: "where this attempt saves its checkpoint (no checkpoint without it)",
  },
  {
    flag: "prev-checkpoint",
    short: "p",
    required: false,
    meaning: "the checkpoint an earlier attempt saved, to resume from",
  },
  {
    flag: "inputs",
    short: "i",
    required: false,
    meaning:
      "the task's inputs: a flyteidl2.task.Inputs file (inputs.pb; path or URI), custom context included",
  },
  {
    flag: "outputs-path",
    short: "o",
    required: false,
    meaning: "prefix (path or URI) where outputs.pb, or error.pb on a task failure, is written",
  },
  { flag: "version", required: false, meaning: "code version of the task (default na)" },
  {
    flag: "run-start-time",
    required: false,
    meaning: "ISO time the run started; absent or unparsable = 1970-01-01T00:00:00Z",
  },
  {
    flag: "custom-context",
    required: false,
    multiple: true,
    meaning:
      "key=value custom context, on top of the one in --inputs (repeatable; for running by hand)",
  },
  {
    flag: "args",
    required: false,
    meaning:
      "the task's inputs as JSON instead of --inputs (an array for positional tasks, an object for declared inputs; for running by hand)",
  },
] satisfies EntrypointFlag[]);
