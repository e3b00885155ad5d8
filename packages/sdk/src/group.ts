/**
 * `flyte.group(name)`: puts the child tasks called inside it in a named group — part of their
 * action names, as the Python SDK makes them (`…-<seq>-<group>`), and shown in progress output.
 * Two forms, like `customContext`: `using _ = flyte.group("train")` for the rest of the block,
 * or `flyte.group("train", () => ...)` for a callback, isolated. The innermost group wins.
 */
import { GroupData, internalCtx } from "@flyte/context-core";
import type { ScopeHandle } from "@flyte/context-core";

import { NotInTaskError, TaskDefinitionError } from "./errors.js";

const MAX_GROUP_NAME = 255;

/** Opens a group until the returned handle is disposed (`using`) or `exit()`ed. */
export function group(name: string): ScopeHandle;
/** Runs `fn` with child task calls in group `name`, isolated from the rest of the task. */
export function group<R>(name: string, fn: () => R): R;
export function group<R>(name: string, fn?: () => R): ScopeHandle | R {
  checkGroupName(name);
  const context = internalCtx();
  const tctx = context.data.taskContext;
  if (tctx === undefined) {
    // Python's group() is a silent no-op here, which hides the mistake; a group only means
    // something for the children of a running task.
    throw new NotInTaskError(
      `flyte.group("${name}") was opened outside a running task; groups name the child tasks a task calls`,
    );
  }
  const inGroup = context.replaceTaskContext(tctx.replace({ groupData: new GroupData(name) }));
  if (fn === undefined) return inGroup.enter();
  if (typeof fn !== "function") {
    throw new TaskDefinitionError(
      "INVALID_TASK",
      "fn",
      `flyte.group(name, fn) needs a function, got ${typeof fn}`,
    );
  }
  return inGroup.run(fn);
}

/** The group child calls are made in right now, if any. */
export function currentGroup(): string | undefined {
  return internalCtx().data.taskContext?.groupData?.name;
}

function checkGroupName(name: unknown): asserts name is string {
  if (
    typeof name !== "string" ||
    name.length === 0 ||
    name.length > MAX_GROUP_NAME ||
    // Control characters would break the action name's hash input and every log line naming it.
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f]/.test(name)
  ) {
    throw new TaskDefinitionError(
      "INVALID_TASK",
      "group",
      `a group name must be a non-empty string of at most ${MAX_GROUP_NAME} characters without control characters, got ${JSON.stringify(name)}`,
    );
  }
}
