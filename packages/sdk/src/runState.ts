/**
 * The controller's bookkeeping: what a run shares (its name, folder, storage, listener) and what
 * one attempt of an action counts (the call order of its children). Kept beside the context,
 * keyed by the attempt's ActionID object, so no process-global controller is shared between runs
 * (semantics §9.8) and a finished attempt's state is collected with its context.
 */
import type { ActionID, TaskContext } from "@flyte/context-core";
import type { Storage } from "@flyte/storage-adapters";

import type { RunEvent, RunEventListener } from "./events.js";
import type { StorageResolver } from "@flyte/checkpoint";
import { currentConfig } from "./init.js";

/** What every action of one run shares. */
export interface RunState {
  readonly runName: string;
  /** `<rawDataPath>/<runName>`: the run's raw data folder, parent of every action's folder. */
  readonly runRaw: string;
  /** The Checkpoint storage option (`init`'s `storage`), if any. */
  readonly storage: Storage | StorageResolver | undefined;
  readonly resolve: StorageResolver;
  readonly startTime: Date;
  readonly emit: (event: RunEvent) => void;
}

/** What one attempt of one action counts. */
export interface AttemptState {
  readonly run: RunState;
  readonly attempt: number;
  /** Calls made so far per child task, for deterministic child names. */
  readonly seqs: Map<string, number>;
}

const attempts = new WeakMap<ActionID, AttemptState>();

/** Makes a run state; a listener that throws is ignored, so progress output cannot fail a run. */
export function createRunState(init: {
  runName: string;
  runRaw: string;
  storage: Storage | StorageResolver | undefined;
  resolve: StorageResolver;
  startTime?: Date;
  onEvent?: RunEventListener | undefined;
}): RunState {
  const listener = init.onEvent;
  return {
    runName: init.runName,
    runRaw: init.runRaw,
    storage: init.storage,
    resolve: init.resolve,
    startTime: init.startTime ?? new Date(),
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

/** Registers the state of the attempt whose TaskContext has `action` as its `taskAction`. */
export function registerAttempt(action: ActionID, state: AttemptState): void {
  attempts.set(action, state);
}

/**
 * The attempt state of a running task. A TaskContext the SDK did not make (the container
 * entrypoint's, a test's) gets one on first use: its run is the action's run, its folder the
 * task's raw data path, its storage the `init` configuration.
 */
export function attemptStateOf(tctx: TaskContext): AttemptState {
  let state = attempts.get(tctx.taskAction);
  if (state === undefined) {
    const config = currentConfig();
    state = {
      run: createRunState({
        runName: tctx.action.runName,
        runRaw: tctx.rawDataPath.path,
        storage: config.storage,
        resolve: config.resolve,
        ...(tctx.runStartTime !== undefined && { startTime: tctx.runStartTime }),
      }),
      attempt: tctx.attemptNumber,
      seqs: new Map(),
    };
    attempts.set(tctx.taskAction, state);
  }
  return state;
}

/** The next call number of `taskName` in this attempt (0 for the first call). */
export function nextSeq(state: AttemptState, taskName: string): number {
  const seq = state.seqs.get(taskName) ?? 0;
  state.seqs.set(taskName, seq + 1);
  return seq;
}

function noop(): void {}
