/**
 * The local controller: runs one action — a task call — through its attempts. Each attempt gets
 * its own TaskContext (ActionID, attemptNumber, checkpoint paths, custom context) and runs in its
 * own context branch, in this process or in a child process. Retries follow the task's policy;
 * attempt N loads the last checkpoint any earlier attempt saved.
 */
import { CheckpointPaths, TaskContext } from "@flyte/context-core";
import type { ActionID, CheckpointFactory, Context } from "@flyte/context-core";

import { childActionName } from "./actionName.js";
import { createCheckpointFactory } from "./checkpointFactory.js";
import { AttemptCrashedError, TaskFailedError, isNonRecoverable } from "./errors.js";
import type { AttemptFailure } from "./errors.js";
import type { ActionEventBase } from "./events.js";
import { runIsolatedAttempt } from "./isolation/runIsolatedAttempt.js";
import { checkpointPathFor, joinUri } from "./paths.js";
import { computeDelay } from "./retry.js";
import type { RunState } from "./runState.js";
import { attemptStateOf, attemptVar, newAttemptState, nextSeq } from "./runState.js";
import type { AnyTask } from "./task.js";

/** Everything one action needs, captured synchronously when the task was called. */
export interface ActionSpec {
  readonly task: AnyTask;
  readonly args: readonly unknown[];
  readonly run: RunState;
  /** The action's identity (its name, run, project/domain/org). */
  readonly action: ActionID;
  readonly parent?: string;
  /** The caller's context, which the action's context derives from (other variables, group). */
  readonly base: Context;
  /** The custom context in force at the call (a frozen snapshot). */
  readonly customContext: Readonly<Record<string, string>>;
  readonly mode: TaskContext["mode"];
  readonly version: string;
}

/**
 * Runs a task called inside a running task as a child action: the name comes from the parent,
 * the task and the call order; the custom context is the parent's as it is now. Everything is
 * read before the first await, so a scope the caller leaves right after the call does not matter.
 */
export function submitChild(parent: TaskContext, base: Context, task: AnyTask, args: readonly unknown[]): Promise<unknown> {
  const state = attemptStateOf(parent);
  const parentAction = parent.taskAction;
  const seq = nextSeq(state, task.fullName);
  const name = childActionName(parentAction.name, state.attempt, task.fullName, seq);
  return executeAction({
    task,
    args,
    run: state.run,
    action: parentAction.newSubAction(name),
    parent: parentAction.name,
    base,
    customContext: parent.customContext,
    mode: parent.mode,
    version: parent.version,
  });
}

/** Runs an action through its attempts; resolves to the result or rejects with a TaskFailedError. */
export async function executeAction(spec: ActionSpec): Promise<unknown> {
  const { task, run, action } = spec;
  const policy = task.options.retries;
  const maxAttempts = policy.count + 1;
  const isolation = task.options.isolation;
  const outputPath = joinUri(run.runRaw, action.name);
  const checkpointFactory = (run.checkpointFactory ??= runCheckpointFactory(run));
  const failures: AttemptFailure[] = [];
  // The checkpoint the next attempt loads: the last one any earlier attempt saved.
  let lastSaved: string | undefined;

  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const checkpointPath = checkpointPathFor(run.runRaw, action.name, attempt);
    const prevCheckpointPath = lastSaved;
    // Event objects are built only when someone listens: a run of 10,000 tasks makes none.
    const info: ActionEventBase | undefined = run.listening
      ? {
          runName: run.runName,
          action: action.name,
          ...(spec.parent !== undefined && { parent: spec.parent }),
          task: task.name,
          attempt,
          maxAttempts,
        }
      : undefined;
    if (info !== undefined) {
      run.emit({
        type: "attempt-start",
        ...info,
        checkpointPath,
        ...(prevCheckpointPath !== undefined && { prevCheckpointPath }),
        isolation,
      });
    }
    const state = newAttemptState(run, action, attempt, info);
    try {
      let result: unknown;
      if (isolation === "process") {
        result = await runIsolatedAttempt({
          task,
          args: spec.args,
          state,
          ...(spec.parent !== undefined && { parent: spec.parent }),
          maxAttempts,
          checkpointPath,
          ...(prevCheckpointPath !== undefined && { prevCheckpointPath }),
          customContext: spec.customContext,
          mode: spec.mode,
          version: spec.version,
        });
      } else {
        const tctx = new TaskContext({
          action,
          version: spec.version,
          rawDataPath: run.rawDataPath,
          outputPath,
          runBaseDir: run.runRaw,
          checkpointPaths: new CheckpointPaths({ checkpointPath, prevCheckpointPath: prevCheckpointPath ?? null }),
          mode: spec.mode,
          customContext: spec.customContext,
          attemptNumber: attempt,
          runStartTime: run.startTime,
          checkpointFactory,
        });
        const context = spec.base.replaceTaskContext(tctx);
        const args = spec.args;
        result = await attemptVar.run(state, () => context.run(() => task.fn(...args)));
      }
      if (info !== undefined) run.emit({ type: "attempt-success", ...info });
      return result;
    } catch (error) {
      failures.push({ attempt, error });
      if (state.saved || (await existsQuietly(run, checkpointPath))) lastSaved = checkpointPath;
      const stop = isNonRecoverable(error);
      const last = attempt + 1 >= maxAttempts;
      const delayMs = stop || last ? 0 : computeDelay(policy, attempt);
      if (info !== undefined) {
        run.emit({ type: "attempt-failure", ...info, error, willRetry: !stop && !last, delayMs });
      }
      if (stop || last) {
        throw new TaskFailedError({
          taskName: task.name,
          actionName: action.name,
          runName: run.runName,
          attempts: failures,
          nonRecoverable: stop,
        });
      }
      if (delayMs > 0) await sleep(delayMs);
    } finally {
      disposeQuietly(state.checkpoint);
    }
  }
  // Unreachable: the last attempt returns or throws.
  throw new AttemptCrashedError(null, null);
}

/**
 * The checkpoint factory of a run's TaskContexts (one per run, not per attempt): the checkpoint
 * it builds tells the attempt it belongs to when it saved, and reports loads and saves.
 */
function runCheckpointFactory(run: RunState): CheckpointFactory {
  return (paths, tctx) => {
    const current = attemptVar.get();
    const state =
      current !== undefined && current.action === tctx.taskAction && current.attempt === tctx.attemptNumber
        ? current
        : undefined;
    const info = state?.info;
    return createCheckpointFactory({
      storage: run.storage,
      onCreate: (checkpoint) => {
        if (state !== undefined) state.checkpoint = checkpoint;
      },
      onLoad: (found, source) => {
        if (info !== undefined) run.emit({ type: "checkpoint-load", ...info, source: source ?? "", found });
      },
      onSave: (destination) => {
        if (state !== undefined) state.saved = true;
        if (info !== undefined) run.emit({ type: "checkpoint-save", ...info, destination });
      },
    })(paths, tctx);
  };
}

/**
 * Whether an attempt left a checkpoint at `uri` without the runner seeing the save (a Checkpoint
 * the task built itself, or a child process). A storage fault is not "no checkpoint" to the
 * caller, but it must not fail the retry either: the attempt then runs from the last one known.
 */
async function existsQuietly(run: RunState, uri: string): Promise<boolean> {
  try {
    const { storage, key } = run.resolve(uri);
    return (await storage.head(key)) !== null;
  } catch {
    return false;
  }
}

function disposeQuietly(checkpoint: { dispose?: () => unknown } | undefined): void {
  if (checkpoint === undefined) return;
  const dispose = checkpoint.dispose;
  if (typeof dispose !== "function") return;
  try {
    const r = dispose.call(checkpoint);
    if (r instanceof Promise) r.catch(() => undefined);
  } catch {
    // Cleaning the local workspace is best effort; the attempt's outcome stands.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
