/**
 * A task called inside a running task: a child action. Its name is the Python SDK's —
 * `base36(md5("<parent>-<inputs hash>-<task hash>-<seq>[-<group>]"))`, `seq` counting calls with
 * the same task, inputs and group in this attempt of the parent — and does not depend on the
 * parent's attempt, so a retried parent calls the same children again and finds the finished
 * ones. What the call captures (custom context, group, signal, call order) is read before the
 * first await, so a scope the caller leaves right after the call does not matter.
 */
import type { Context, TaskContext } from "@flyte/context-core";
import { childActionName, inputsHash } from "@flyte/type-engine";
import type { NamedLiteral } from "@flyte/type-engine";

import { RunCancelledError } from "../errors.js";
import type { AnyTask } from "../task/task.js";
import { argsToLiterals } from "../task/taskInterface.js";
import { executeAction } from "./executeAction.js";
import { attemptStateOf, nextSeq } from "./runState.js";
import type { TaskIdentity } from "./taskIdentity.js";
import { resolveIdentity } from "./taskIdentity.js";

/** Runs `task(...args)` as a child action of the task running in `parent`. */
export function callChild(
  parent: TaskContext,
  base: Context,
  task: AnyTask,
  args: readonly unknown[],
): Promise<unknown> {
  try {
    if (parent.signal.aborted) {
      return Promise.reject(
        new RunCancelledError(
          `a child task was called after its parent was cancelled: ${String((parent.signal.reason as Error | undefined)?.message ?? parent.signal.reason)}`,
          { cause: parent.signal.reason },
        ),
      );
    }
    const identity = resolveIdentity(task);
    if (identity instanceof Promise) return identity.then((id) => submit(id, parent, base, args));
    return submit(identity, parent, base, args);
  } catch (error) {
    return Promise.reject(error);
  }
}

function submit(
  id: TaskIdentity,
  parent: TaskContext,
  base: Context,
  args: readonly unknown[],
): Promise<unknown> {
  const literals = argsToLiterals(id.task.interface, args, id.label);
  const keyInputsHash = hashWithout(literals, id.task.options.cache.ignoredInputs);
  const group = parent.groupData?.name;
  const state = attemptStateOf(parent);
  const parentAction = parent.taskAction;
  const callKey = `${id.taskHash}:${keyInputsHash}${group === undefined ? "" : `:${group}`}`;
  const seq = nextSeq(state, callKey);
  const name = childActionName(parentAction.name, keyInputsHash, id.taskHash, seq, group);
  return executeAction({
    id,
    literals,
    keyInputsHash,
    run: state.run,
    action: parentAction.newSubAction(name),
    parent: parentAction.name,
    parentAttempt: parent.attemptNumber,
    base,
    customContext: parent.customContext,
    ...(group !== undefined && { group }),
    mode: parent.mode,
    version: parent.version,
    signal: parent.signal,
  });
}

/** The inputs hash of `literals` without the inputs named in `ignored` (cache-ignored inputs). */
export function hashWithout(literals: readonly NamedLiteral[], ignored: readonly string[]): string {
  return inputsHash(
    ignored.length === 0 ? [...literals] : literals.filter((l) => !ignored.includes(l.name)),
  );
}
