import { ContextError } from "./errors.js";
import { ctx } from "./internalCtx.js";
import type { TaskContext } from "./TaskContext.js";

/** The running task's context, or a {@link ContextError} (`NOT_IN_TASK`) outside a task. */
export function requireCtx(): TaskContext {
  const t = ctx();
  if (t === undefined) {
    throw new ContextError(
      "NOT_IN_TASK",
      "not inside a running task: flyte.ctx() is only available in a task body",
    );
  }
  return t;
}
