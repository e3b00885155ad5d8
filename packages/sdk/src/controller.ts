/**
 * The local controller: runs one action — a task call — through its attempts. Each attempt gets
 * its own TaskContext (ActionID, attemptNumber, checkpoint paths, custom context) and runs in its
 * own context branch, in this process or in a child process. Retries follow the task's policy;
 * attempt N loads the last checkpoint any earlier attempt saved.
 */
import { ActionID, CheckpointPaths, RawDataPath, TaskContext } from "@flyte/context-core";
import type { Context } from "@flyte/context-core";
import type { Checkpoint } from "@flyte/checkpoint";

import { childActionName } from "./actionName.js";
import { createCheckpointFactory } from "./checkpointFactory.js";
import { AttemptCrashedError, TaskFailedError, isNonRecoverable } from "./errors.js";
import type { AttemptFailure } from "./errors.js";
import type { ActionEventBase } from "./events.js";
import { runIsolatedAttempt } from "./isolation/runIsolatedAttempt.js";
import { checkpointPathFor, joinUri } from "./paths.js";
import { computeDelay } from "./retry.js";
import type { RunState } from "./runState.js";
import { attemptStateOf, nextSeq, registerAttempt } from "./runState.js";
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
  const rawDataPath = new RawDataPath(run.runRaw);
  const outputPath = joinUri(run.runRaw, action.name);
  const failures: AttemptFailure[] = [];
  // The checkpoint the next attempt loads: the last one any earlier attempt saved.
  let lastSaved: string | undefined;

  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const info: ActionEventBase = {
      runName: run.runName,
      action: action.name,
      ...(spec.parent !== undefined && { parent: spec.parent }),
      task: task.name,
      attempt,
      maxAttempts,
    };
    const checkpointPath = checkpointPathFor(run.runRaw, action.name, attempt);
    const prevCheckpointPath = lastSaved;
    run.emit({
      type: "attempt-start",
      ...info,
      checkpointPath,
      ...(prevCheckpointPath !== undefined && { prevCheckpointPath }),
      isolation,
    });
    let saved = false;
    let checkpoint: Checkpoint | undefined;
    try {
      let result: unknown;
      if (isolation === "process") {
        result = await runIsolatedAttempt({
          task,
          args: spec.args,
          run,
          action,
          ...(spec.parent !== undefined && { parent: spec.parent }),
          attempt,
          maxAttempts,
          checkpointPath,
          ...(prevCheckpointPath !== undefined && { prevCheckpointPath }),
          customContext: spec.customContext,
          mode: spec.mode,
          version: spec.version,
          onSave: () => (saved = true),
        });
      } else {
        // A fresh ActionID per attempt: the key of this attempt's bookkeeping (child call order).
        const attemptAction = new ActionID(action);
        const tctx = new TaskContext({
          action: attemptAction,
          version: spec.version,
          rawDataPath,
          outputPath,
          runBaseDir: run.runRaw,
          checkpointPaths: new CheckpointPaths({ checkpointPath, prevCheckpointPath: prevCheckpointPath ?? null }),
          mode: spec.mode,
          customContext: spec.customContext,
          attemptNumber: attempt,
          runStartTime: run.startTime,
          checkpointFactory: createCheckpointFactory({
            storage: run.storage,
            onCreate: (c) => (checkpoint = c),
            onLoad: (found, source) =>
              run.emit({ type: "checkpoint-load", ...info, source: source ?? "", found }),
            onSave: (destination) => {
              saved = true;
              run.emit({ type: "checkpoint-save", ...info, destination });
            },
          }),
        });
        registerAttempt(attemptAction, { run, attempt, seqs: new Map() });
        const context = spec.base.replaceTaskContext(tctx);
        result = await context.run(() => task.fn(...spec.args));
      }
      run.emit({ type: "attempt-success", ...info });
      return result;
    } catch (error) {
      failures.push({ attempt, error });
      if (saved || (await existsQuietly(run, checkpointPath))) lastSaved = checkpointPath;
      const stop = isNonRecoverable(error);
      const last = attempt + 1 >= maxAttempts;
      const delayMs = stop || last ? 0 : computeDelay(policy, attempt);
      run.emit({ type: "attempt-failure", ...info, error, willRetry: !stop && !last, delayMs });
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
      disposeQuietly(checkpoint);
    }
  }
  // Unreachable: the last attempt returns or throws.
  throw new AttemptCrashedError(null, null);
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

function disposeQuietly(checkpoint: Checkpoint | undefined): void {
  if (checkpoint === undefined) return;
  const dispose = (checkpoint as { dispose?: () => unknown }).dispose;
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
