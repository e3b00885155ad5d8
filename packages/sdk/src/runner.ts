/**
 * Local runs: `flyte.run(task, ...args)` and `flyte.withRunContext({...}).run(task, ...args)`.
 * A run has a name, a raw data folder (`<rawDataPath>/<runName>`) and a root action `a0` that runs
 * like any child action (attempts, checkpoints, custom context).
 */
import { ActionID, RawDataPath, internalCtx } from "@flyte/context-core";
import { mergeCustomContext, resolveRunCustomContext } from "@flyte/custom-context";

import { ROOT_ACTION_NAME } from "./actionName.js";
import { executeAction } from "./controller.js";
import { ConfigurationError, IsolationError, TaskDefinitionError } from "./errors.js";
import { inIsolationImportPhase } from "./isolation/importPhase.js";
import type { RunEventListener } from "./events.js";
import type { StorageResolver } from "@flyte/checkpoint";
import { currentConfig, normalizeRawDataPath } from "./init.js";
import { joinUri } from "./paths.js";
import { createRunState } from "./runState.js";
import type { AnyTask, Task } from "./task.js";
import { isTask } from "./task.js";

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
  /** Receives the run's progress: attempts, retries, checkpoint loads and saves. */
  readonly onEvent?: RunEventListener;
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
  "onEvent",
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

/**
 * Starts a run. Synchronous up to the root action's first await: the custom context (run-level <
 * inherited < scoped) is resolved here, at the call, and a bad value rejects the returned promise.
 */
export function startRun(
  task: AnyTask,
  args: readonly unknown[],
  options: RunContextOptions,
): Promise<unknown> {
  try {
    if (!isTask(task)) {
      throw new TaskDefinitionError(
        "INVALID_TASK",
        "task",
        `run() needs a task made by env.task(...), got ${typeof task}`,
      );
    }
    if (inIsolationImportPhase()) {
      throw new IsolationError(
        `run(${task.name}) was started while a child process imported its module to run an isolated task: ` +
          "a run at the top level of that module would start again in every child process. Start runs behind a " +
          "main-module check (if (process.argv[1] === fileURLToPath(import.meta.url)) ...) or from another file.",
      );
    }
    const customContext = resolveRunCustomContext(options.customContext);
    const config = currentConfig();
    const runName = options.name ?? ActionID.createRandom().runName;
    const rawBase =
      options.rawDataPath === undefined
        ? config.rawDataPath
        : normalizeRawDataPath(
            options.rawDataPath,
            "rawDataPath",
            "INVALID_RUN_CONTEXT",
            config.storage,
          );
    const runRaw = joinUri(rawBase, runName);
    const state = createRunState({
      runName,
      runRaw,
      storage: config.storage,
      resolve: config.resolve,
      onEvent: options.onEvent,
    });
    const action = new ActionID({
      name: ROOT_ACTION_NAME,
      runName,
      ...(options.project !== undefined && { project: options.project }),
      ...(options.domain !== undefined && { domain: options.domain }),
      ...(options.org !== undefined && { org: options.org }),
    });
    // The run's context: the caller's, with the run's raw data path and no task (a run started
    // inside a task is a separate run, not a child of that task).
    const caller = internalCtx();
    const base = caller.newRawDataPath(new RawDataPath(runRaw));
    const start = (): Promise<unknown> => {
      state.emit({ type: "run-start", runName, rawDataPath: runRaw, task: task.name });
      return executeAction({
        task,
        args,
        run: state,
        action,
        base,
        customContext,
        mode: "local",
        version: "local",
      }).then(
        (result) => {
          state.emit({ type: "run-end", runName, ok: true });
          return result;
        },
        (error: unknown) => {
          state.emit({ type: "run-end", runName, ok: false, error });
          throw error;
        },
      );
    };
    // A random name is new by construction. A chosen one may name a folder an earlier run left:
    // its checkpoints would be loaded as if they were this run's (semantics §9.11), so refuse.
    return options.name === undefined
      ? start()
      : assertRunIsNew(config.resolve, runRaw, runName).then(start);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Rejects with `RUN_EXISTS` when anything is stored under the run's folder already. */
async function assertRunIsNew(
  resolve: StorageResolver,
  runRaw: string,
  runName: string,
): Promise<void> {
  const { storage, key } = resolve(runRaw);
  const prefix = key === "" || key.endsWith("/") ? key : `${key}/`;
  for await (const _entry of storage.list(prefix)) {
    throw new ConfigurationError(
      "RUN_EXISTS",
      "name",
      `a run named "${runName}" already has data at ${runRaw}: its checkpoints would be taken for this run's. ` +
        "Choose another name, or delete that folder first.",
    );
  }
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
  if (options.onEvent !== undefined && typeof options.onEvent !== "function") {
    throw new ConfigurationError(
      "INVALID_RUN_CONTEXT",
      "onEvent",
      "onEvent must be a function (event) => void",
    );
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
  if (options.customContext !== undefined) {
    // Checked now (a CustomContextError naming the key), not when the run starts: merging into
    // nothing runs every check a scope runs.
    mergeCustomContext(options.customContext);
  }
}
