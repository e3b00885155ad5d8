/**
 * The controller's bookkeeping: what a run shares (its name, folder, storage, listener) and what
 * one attempt of an action knows (its call order of children, whether it saved a checkpoint).
 * The attempt's state travels in the context branch the attempt runs in (a ContextVar), so no
 * process-global controller is shared between runs (semantics §9.8) and the state of a finished
 * attempt is collected with its branch.
 */
import { ContextVar, RawDataPath } from "@flyte/context-core";
import type { ActionID, CheckpointFactory, TaskContext } from "@flyte/context-core";
import type { StorageResolver } from "@flyte/checkpoint";
import type { Storage } from "@flyte/storage-adapters";

import type { ActionEventBase, RunEvent, RunEventListener } from "./events.js";
import { currentConfig } from "./init.js";

/** What every action of one run shares. */
export interface RunState {
  readonly runName: string;
  /** `<rawDataPath>/<runName>`: the run's raw data folder, parent of every action's folder. */
  readonly runRaw: string;
  readonly rawDataPath: RawDataPath;
  /** The Checkpoint storage option (`init`'s `storage`), if any. */
  readonly storage: Storage | StorageResolver | undefined;
  readonly resolve: StorageResolver;
  readonly startTime: Date;
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
  /** Calls made so far per child task, for deterministic child names (made on the first call). */
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

/** Attempt states made for TaskContexts the SDK did not run (the entrypoint's, a test's). */
const foreign = new WeakMap<ActionID, AttemptState>();

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
    rawDataPath: new RawDataPath(init.runRaw),
    storage: init.storage,
    resolve: init.resolve,
    startTime: init.startTime ?? new Date(),
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
export function newAttemptState(run: RunState, action: ActionID, attempt: number, info?: ActionEventBase): AttemptState {
  return { run, action, attempt, seqs: undefined, saved: false, checkpoint: undefined, info };
}

/**
 * The attempt state of a running task: the one its branch carries, when it belongs to this
 * task's action. A TaskContext the SDK did not run gets one on first use: its run is the action's
 * run, its folder the task's raw data path, its storage the `init` configuration.
 */
export function attemptStateOf(tctx: TaskContext): AttemptState {
  const current = attemptVar.get();
  if (current !== undefined && current.action === tctx.taskAction) return current;
  let state = foreign.get(tctx.taskAction);
  if (state === undefined) {
    const config = currentConfig();
    const run = createRunState({
      runName: tctx.action.runName,
      runRaw: tctx.rawDataPath.path,
      storage: config.storage,
      resolve: config.resolve,
      ...(tctx.runStartTime !== undefined && { startTime: tctx.runStartTime }),
    });
    state = newAttemptState(run, tctx.taskAction, tctx.attemptNumber);
    foreign.set(tctx.taskAction, state);
  }
  return state;
}

/** The next call number of `taskName` in this attempt (0 for the first call). */
export function nextSeq(state: AttemptState, taskName: string): number {
  const seqs = (state.seqs ??= new Map());
  const seq = seqs.get(taskName) ?? 0;
  seqs.set(taskName, seq + 1);
  return seq;
}

function noop(): void {}
