/**
 * Local runs: `flyte.run(task, ...args)` and `flyte.withRunContext({...}).run(task, ...args)`.
 * Options are checked when given; a bad one throws {@link ConfigurationError} naming it.
 */
import { mergeCustomContext } from "@flyte/custom-context";

import { ConfigurationError } from "./errors.js";
import type { RunEventListener } from "./events.js";
import { currentConfig, normalizeRawDataPath } from "./init.js";
import { startRun } from "./runtime/startRun.js";
import type { AnyTask, Task } from "./task/task.js";

/** Options of {@link withRunContext}. */
export interface RunContextOptions {
  /**
   * The run-level custom context: the lowest layer. Values inherited from a task that starts the
   * run, and `customContext` scopes in force where the run starts, win over it key by key.
   */
  readonly customContext?: Readonly<Record<string, string>>;
  /** Where this run writes (overrides `init`'s `rawDataPath`); the run's folder is `<it>/<name>`. */
  readonly rawDataPath?: string;
  /** The run's name (letters, digits, `.`, `_`, `-`). @default a random one */
  readonly name?: string;
  /**
   * Continue the run `name` that died (a crash, a kill, Ctrl-C): its finished actions are
   * reused, the interrupted ones start a new attempt from their last checkpoint. Refused unless
   * the task, its code version and the inputs are the run's. Without it, a `name` that already
   * has data is refused.
   */
  readonly resume?: boolean;
  /** Receives the run's progress: attempts, retries, reuse, cache hits, checkpoint loads and saves. */
  readonly onEvent?: RunEventListener;
  /** Cancels the run: every running task's `ctx().signal` aborts; the run stays resumable. */
  readonly signal?: AbortSignal;
  /** Run every task even when the cache has its outputs, and store nothing in it. */
  readonly disableRunCache?: boolean;
  /** Run every cached task, and store its new outputs in the cache (replacing older ones). */
  readonly overwriteCache?: boolean;
  /** Where the task cache lives. @default `init`'s `cachePath`, else `<rawDataPath>/_cache` */
  readonly cachePath?: string;
  /** The identity recorded in every ActionID of the run. */
  readonly project?: string;
  readonly domain?: string;
  readonly org?: string;
}

/** What {@link withRunContext} returns. */
export interface RunContext {
  /** Starts a local run of `task` with these options; resolves to its result. */
  run<A extends unknown[], R>(task: Task<A, R>, ...args: A): Promise<R>;
}

const KNOWN = [
  "customContext",
  "rawDataPath",
  "name",
  "resume",
  "onEvent",
  "signal",
  "disableRunCache",
  "overwriteCache",
  "cachePath",
  "project",
  "domain",
  "org",
] as const;
const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * Starts a local run of `task` and resolves to its result, or rejects with a `TaskFailedError`
 * carrying the attempt history. Inside a task it starts a separate run (not a child action).
 */
export function run<A extends unknown[], R>(task: Task<A, R>, ...args: A): Promise<R> {
  return startRun(task as unknown as AnyTask, args, {}) as Promise<R>;
}

/** Run options for the next `.run(...)`: `withRunContext({ customContext, rawDataPath, name }).run(task, ...args)`. */
export function withRunContext(options: RunContextOptions): RunContext {
  checkOptions(options);
  const frozen = Object.freeze({ ...options });
  return Object.freeze({
    run<A extends unknown[], R>(task: Task<A, R>, ...args: A): Promise<R> {
      return startRun(task as unknown as AnyTask, args, frozen) as Promise<R>;
    },
  });
}

function checkOptions(options: RunContextOptions): void {
  if (typeof options !== "object" || options === null) {
    throw new ConfigurationError(
      "INVALID_RUN_CONTEXT",
      "options",
      `withRunContext needs an options object, got ${String(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!(KNOWN as readonly string[]).includes(key)) {
      throw new ConfigurationError(
        "INVALID_RUN_CONTEXT",
        key,
        `withRunContext has no option "${key}" (known: ${KNOWN.join(", ")})`,
      );
    }
  }
  if (
    options.name !== undefined &&
    (typeof options.name !== "string" || !RUN_NAME.test(options.name))
  ) {
    throw new ConfigurationError(
      "INVALID_RUN_CONTEXT",
      "name",
      `run name must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit; got ${JSON.stringify(options.name)}`,
    );
  }
  for (const key of ["resume", "disableRunCache", "overwriteCache"] as const) {
    if (options[key] !== undefined && typeof options[key] !== "boolean") {
      throw new ConfigurationError(
        "INVALID_RUN_CONTEXT",
        key,
        `${key} must be true or false, got ${JSON.stringify(options[key])}`,
      );
    }
  }
  if (options.resume === true && options.name === undefined) {
    throw new ConfigurationError(
      "INVALID_RUN_CONTEXT",
      "resume",
      "resume needs the name of the run to resume: withRunContext({ name, resume: true })",
    );
  }
  if (options.onEvent !== undefined && typeof options.onEvent !== "function") {
    throw new ConfigurationError(
      "INVALID_RUN_CONTEXT",
      "onEvent",
      "onEvent must be a function (event) => void",
    );
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new ConfigurationError("INVALID_RUN_CONTEXT", "signal", "signal must be an AbortSignal");
  }
  for (const key of ["project", "domain", "org"] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== "string" || v.trim() === "")) {
      throw new ConfigurationError(
        "INVALID_RUN_CONTEXT",
        key,
        `${key} must be a non-empty string, got ${JSON.stringify(v)}`,
      );
    }
  }
  if (options.rawDataPath !== undefined) {
    normalizeRawDataPath(
      options.rawDataPath,
      "rawDataPath",
      "INVALID_RUN_CONTEXT",
      currentConfig().storage,
    );
  }
  if (options.cachePath !== undefined) {
    normalizeRawDataPath(
      options.cachePath,
      "cachePath",
      "INVALID_RUN_CONTEXT",
      currentConfig().storage,
    );
  }
  if (options.customContext !== undefined) {
    // Checked now (a CustomContextError naming the key), not when the run starts: merging into
    // nothing runs every check a scope runs.
    mergeCustomContext(options.customContext);
  }
}
