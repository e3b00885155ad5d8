/**
 * Starting a local run: a run has a name, a base folder (`<rawDataPath>/<runName>`) holding
 * every action's files, and a root action `a0` that runs like any child action (attempts,
 * checkpoints, custom context, reuse, cache). A run can be resumed: the same name, task, code
 * version and inputs continue where a run that died stopped, its finished actions reused.
 */
import { ActionID, RawDataPath, internalCtx } from "@flyte/context-core";
import { resolveRunCustomContext } from "@flyte/custom-context";
import { preflightStorage } from "@flyte/storage-adapters";

import { ConfigurationError, IsolationError, TaskDefinitionError } from "../errors.js";
import type { RunEventListener } from "../events.js";
import { currentConfig, normalizeRawDataPath } from "../init.js";
import { joinUri } from "../paths.js";
import type { AnyTask } from "../task/task.js";
import { isTask } from "../task/task.js";
import { argsToLiterals } from "../task/taskInterface.js";
import { hashWithout } from "./callChild.js";
import { executeAction } from "./executeAction.js";
import { inIsolationImportPhase } from "./isolation/importPhase.js";
import type { CacheMode } from "./runState.js";
import { createRunState, runBaseOf } from "./runState.js";
import type { StoredFiles } from "./storedFiles.js";
import type { TaskIdentity } from "./taskIdentity.js";
import { resolveIdentity } from "./taskIdentity.js";

/** The name of the run's root action, as Flyte names it. */
export const ROOT_ACTION_NAME = "a0";

/** The run record's file name, in the run's base folder. */
export const RUN_RECORD_FILE = "_run.json";

/** Options of a run (see `withRunContext`). */
export interface StartRunOptions {
  readonly customContext?: Readonly<Record<string, string>>;
  readonly rawDataPath?: string;
  readonly name?: string;
  readonly resume?: boolean;
  readonly onEvent?: RunEventListener;
  readonly project?: string;
  readonly domain?: string;
  readonly org?: string;
  readonly signal?: AbortSignal;
  readonly disableRunCache?: boolean;
  readonly overwriteCache?: boolean;
  readonly cachePath?: string;
}

/** What a run records of itself, so a resume can tell it is the same run. */
interface RunRecord {
  readonly version: 1;
  readonly task: string;
  readonly taskHash: string;
  readonly inputsHash: string;
  readonly createdAt: string;
}

/**
 * Starts a run. Synchronous up to its first await: the custom context (run-level < inherited <
 * scoped) is resolved here, at the call, and a bad value rejects the returned promise.
 */
export function startRun(
  task: AnyTask,
  args: readonly unknown[],
  options: StartRunOptions,
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
        `run(${task.fn.name || "a task"}) was started while a child process imported its module to run an isolated task: ` +
          "a run at the top level of that module would start again in every child process. Start runs behind a " +
          "main-module check (if (process.argv[1] === fileURLToPath(import.meta.url)) ...) or from another file.",
      );
    }
    const customContext = resolveRunCustomContext(options.customContext);
    const config = currentConfig();
    if (options.resume === true && options.name === undefined) {
      throw new ConfigurationError(
        "INVALID_RUN_CONTEXT",
        "resume",
        "resume needs the name of the run to resume",
      );
    }
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
    const runBase = runBaseOf(rawBase, runName);
    const cacheMode: CacheMode =
      options.disableRunCache === true
        ? "disable"
        : options.overwriteCache === true
          ? "overwrite"
          : "use";
    const state = createRunState({
      runName,
      runBase,
      storage: config.storage,
      resolve: config.resolve,
      onEvent: options.onEvent,
      cachePath:
        options.cachePath ??
        (options.rawDataPath === undefined ? config.cachePath : joinUri(rawBase, "_cache")),
      cacheMode,
      consultStore: options.resume === true,
      resumed: options.resume === true,
      ...(options.signal !== undefined && { signal: options.signal }),
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
    const base = internalCtx().newRawDataPath(new RawDataPath(runBase));

    const start = async (id: TaskIdentity): Promise<unknown> => {
      const literals = argsToLiterals(task.interface, args, id.label);
      const keyInputsHash = hashWithout(literals, task.options.cache.ignoredInputs);
      if (config.storage === undefined) {
        try {
          // A storage that cannot work is found now, not as a failed attempt after every retry.
          await preflightStorage(runBase);
        } catch (error) {
          throw new ConfigurationError(
            "STORAGE",
            "rawDataPath",
            `runs cannot write to ${runBase}: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          );
        }
      }
      const record: RunRecord = {
        version: 1,
        task: id.fullName,
        taskHash: id.taskHash,
        inputsHash: keyInputsHash,
        createdAt: new Date().toISOString(),
      };
      if (options.resume === true) await checkResume(state.files, runBase, runName, record);
      else if (options.name !== undefined) await assertRunIsNew(state.files, runBase, runName);
      if (options.resume !== true) {
        await state.files.write(
          joinUri(runBase, RUN_RECORD_FILE),
          `${JSON.stringify(record, null, 2)}\n`,
          undefined,
          "application/json",
        );
      }
      state.emit({
        type: "run-start",
        runName,
        rawDataPath: runBase,
        task: id.name,
        ...(options.resume === true && { resumed: true }),
      });
      try {
        const result = await executeAction({
          id,
          literals,
          keyInputsHash,
          run: state,
          action,
          parentAttempt: 0,
          base,
          customContext,
          mode: "local",
          version: id.version,
          signal: state.signal,
        });
        state.emit({ type: "run-end", runName, ok: true });
        return result;
      } catch (error) {
        state.emit({
          type: "run-end",
          runName,
          ok: false,
          error,
          ...(state.signal.aborted && { cancelled: true }),
        });
        throw error;
      }
    };
    const identity = resolveIdentity(task);
    return (identity instanceof Promise ? identity.then(start) : start(identity)).finally(
      state.close,
    );
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Rejects with `RUN_EXISTS` when anything is stored under the run's folder already. */
async function assertRunIsNew(files: StoredFiles, runBase: string, runName: string): Promise<void> {
  if ((await files.children(runBase)).length === 0) return;
  throw new ConfigurationError(
    "RUN_EXISTS",
    "name",
    `a run named "${runName}" already has data at ${runBase}: its checkpoints and outputs would be taken for this run's. ` +
      `Resume it (flyte run --resume ${runName} …, or withRunContext({ name, resume: true })), choose another name, or delete that folder.`,
  );
}

/** Checks that a resume continues the same run: same task, code version and inputs. */
async function checkResume(
  files: StoredFiles,
  runBase: string,
  runName: string,
  now: RunRecord,
): Promise<void> {
  const uri = joinUri(runBase, RUN_RECORD_FILE);
  const bytes = await files.read(uri);
  if (bytes === undefined) {
    throw new ConfigurationError(
      "RUN_NOT_FOUND",
      "name",
      `there is no run named "${runName}" to resume at ${runBase}`,
    );
  }
  let was: Partial<RunRecord>;
  try {
    was = JSON.parse(new TextDecoder().decode(bytes)) as Partial<RunRecord>;
  } catch (cause) {
    throw new ConfigurationError(
      "RESUME_MISMATCH",
      "name",
      `the record of run "${runName}" (${uri}) is not readable JSON`,
      { cause },
    );
  }
  const refuse = (what: string): never => {
    throw new ConfigurationError(
      "RESUME_MISMATCH",
      "resume",
      `run "${runName}" cannot be resumed: ${what}. Start a new run instead.`,
    );
  };
  if (was.task !== now.task) refuse(`it ran task ${String(was.task)}, not ${now.task}`);
  if (was.taskHash !== now.taskHash)
    refuse(`the code of task ${now.task} changed since (its version or its interface differs)`);
  if (was.inputsHash !== now.inputsHash) refuse("its inputs were different");
}
