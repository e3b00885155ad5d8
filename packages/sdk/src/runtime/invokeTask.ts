/**
 * What calling a task does: inside a running task, a child action; outside any run, an implicit
 * local run, exactly like `flyte.run(task, ...args)` (so a task behaves the same wherever it is
 * called: it always has `ctx()`, its retries and its checkpoint). Use `task.fn(...)` for the bare
 * function.
 */
import { internalCtx } from "@flyte/context-core";

import type { AnyTask } from "../task/task.js";
import { callChild } from "./callChild.js";
import { startRun } from "./startRun.js";

/** Runs `task` with `args` where it is called; see the module comment. */
export function invokeTask<R>(task: AnyTask, args: readonly unknown[]): Promise<R> {
  const context = internalCtx();
  const parent = context.data.taskContext;
  if (parent === undefined) return startRun(task, args, {}) as Promise<R>;
  return callChild(parent, context, task, args) as Promise<R>;
}
