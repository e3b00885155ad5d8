/**
 * The controller's bookkeeping: what a run shares (its name, folders, storage, action store,
 * cache, listener, signal) and what one attempt of an action knows (its child call counters,
 * whether it saved a checkpoint). The attempt's state travels in the context branch the attempt
 * runs in (a ContextVar), so no process-global controller is shared between runs (semantics
 * §9.8) and the state of a finished attempt is collected with its branch.
 */
import { ContextVar, RawDataPath } from "@flyte/context-core";
import type { ActionID, CheckpointFactory, TaskContext } from "@flyte/context-core";
import type { StorageResolver } from "@flyte/checkpoint";
import type { Storage } from "@flyte/storage-adapters";

import type { ActionEventBase, RunEvent, RunEventListener } from "../events.js";
import { currentConfig } from "../init.js";
import { joinUri } from "../paths.js";
import { ActionStore } from "./actionStore.js";
import { Deadline } from "./deadline.js";
import { IoLimiter, RUN_IO_CONCURRENCY } from "./ioLimiter.js";
import { StoredFiles } from "./storedFiles.js";
import { TaskCache } from "./taskCache.js";

/** How a run uses the task cache. */
export type CacheMode = "use" | "disable" | "overwrite";

/** What every action of one run shares. */
export interface RunState {
  readonly runName: string;
  /** `<rawDataPath>/<runName>`: the run's base folder; every action's folder is under it. */
  readonly runBase: string;
  readonly rawDataPath: RawDataPath;
  /** The Checkpoint storage option (`init`'s `storage`), if any. */
  readonly storage: Storage | StorageResolver | undefined;
  readonly resolve: StorageResolver;
  readonly startTime: Date;
  /** Whole files on the run's storage, within its I/O limit. */
  readonly files: StoredFiles;
  /** inputs.pb / outputs.pb / error.pb of every action. */
  readonly store: ActionStore;
  readonly cache: TaskCache;
  readonly cacheMode: CacheMode;
  /**
   * Whether finished actions may exist in storage that this process did not finish itself (a
   * resumed run, a child process, a container): then every call looks for stored outputs.
   * A fresh local run knows all its finished actions and skips the look-up.
   */
  readonly consultStore: boolean;
  /** Whether this run resumes an earlier one: interrupted actions continue their attempts. */
  readonly resumed: boolean;
  /** Actions this process finished, for reuse by a retried parent without a storage read. */
  readonly finished: Set<string>;
  /** Aborts when the whole run is cancelled. */
  readonly signal: AbortSignal;
  /** Stops following the signal the run was given (at the end of the run). */
  readonly close: () => void;
  /** Whether anyone listens: events are only built when someone does. */
  readonly listening: boolean;
  readonly emit: (event: RunEvent) => void;
  /** Set by the controller: the factory every TaskContext of the run builds its checkpoint with. */
  checkpointFactory?: CheckpointFactory;
}

/** What one attempt of one action knows. */
export interface AttemptState {
  readonly run: RunState;
  /** The attempt's TaskContext `taskAction` (the state belongs to contexts of this action only). */
  readonly action: ActionID;
  readonly attempt: number;
  /** Calls made so far per call key (task hash, inputs hash, group), for child names. */
  seqs: Map<string, number> | undefined;
  /** Whether a checkpoint save of this attempt succeeded. */
  saved: boolean;
  /** The attempt's checkpoint, once built (disposed when the attempt ends). */
  checkpoint: { dispose?: () => unknown } | undefined;
  /** For events: who this attempt is. */
  readonly info: ActionEventBase | undefined;
}

/** The attempt the current context branch belongs to. */
export const attemptVar = new ContextVar<AttemptState>("flyte.sdk.attempt");

/** Attempt states made for TaskContexts the SDK did not run (a test's). */
const foreign = new WeakMap<ActionID, AttemptState>();

/** The parts of a run state its creator chooses. */
export interface RunStateInit {
  runName: string;
  runBase: string;
  storage: Storage | StorageResolver | undefined;
  resolve: StorageResolver;
  startTime?: Date;
  onEvent?: RunEventListener | undefined;
  cachePath?: string;
  cacheMode?: CacheMode;
  consultStore?: boolean;
  resumed?: boolean;
  signal?: AbortSignal;
}

/** Makes a run state; a listener that throws is ignored, so progress output cannot fail a run. */
export function createRunState(init: RunStateInit): RunState {
  const listener = init.onEvent;
  const files = new StoredFiles(init.resolve, new IoLimiter(RUN_IO_CONCURRENCY));
  // The run's own signal, following the caller's: every action listens on it, so the caller's
  // signal holds one listener per run, not one per action.
  const deadline = new Deadline(init.signal);
  return {
    runName: init.runName,
    runBase: init.runBase,
    rawDataPath: new RawDataPath(init.runBase),
    storage: init.storage,
    resolve: init.resolve,
    startTime: init.startTime ?? new Date(),
    files,
    store: new ActionStore(init.runBase, files),
    cache: new TaskCache(init.cachePath ?? currentConfig().cachePath, files),
    cacheMode: init.cacheMode ?? "use",
    consultStore: init.consultStore ?? true,
    resumed: init.resumed ?? false,
    finished: new Set(),
    signal: deadline.signal,
    close: () => deadline.dispose(),
    listening: listener !== undefined,
    emit:
      listener === undefined
        ? noop
        : (event) => {
            try {
              listener(event);
            } catch {
              // A progress printer's bug must not fail the task it reports on.
            }
          },
  };
}

/** A fresh attempt state. */
export function newAttemptState(
  run: RunState,
  action: ActionID,
  attempt: number,
  info?: ActionEventBase,
): AttemptState {
  return { run, action, attempt, seqs: undefined, saved: false, checkpoint: undefined, info };
}

/**
 * The attempt state of a running task: the one its branch carries, when it belongs to this
 * task's action. A TaskContext the SDK did not run gets one on first use: its run is the action's
 * run, its base folder the context's `runBaseDir`, its storage the `init` configuration, and
 * finished actions are looked for in storage.
 */
export function attemptStateOf(tctx: TaskContext): AttemptState {
  const current = attemptVar.get();
  if (current !== undefined && current.action === tctx.taskAction) return current;
  let state = foreign.get(tctx.taskAction);
  if (state === undefined) {
    const config = currentConfig();
    const run = createRunState({
      runName: tctx.action.runName,
      runBase: tctx.runBaseDir,
      storage: config.storage,
      resolve: config.resolve,
      ...(tctx.runStartTime !== undefined && { startTime: tctx.runStartTime }),
    });
    state = newAttemptState(run, tctx.taskAction, tctx.attemptNumber);
    foreign.set(tctx.taskAction, state);
  }
  return state;
}

/**
 * The call number of the next call with `callKey` in this attempt, from 1 — the Python SDK's
 * `task_call_seq`, counted per parent attempt, so a retried parent calls its children by the
 * same names again.
 */
export function nextSeq(state: AttemptState, callKey: string): number {
  const seqs = (state.seqs ??= new Map());
  const seq = (seqs.get(callKey) ?? 0) + 1;
  seqs.set(callKey, seq);
  return seq;
}

/** The folder of one run under a raw data path. */
export function runBaseOf(rawDataPath: string, runName: string): string {
  return joinUri(rawDataPath, runName);
}

function noop(): void {}
