import type { Context } from "./Context.js";
import { rootContextVar } from "./Context.js";
import { internalSlot } from "./contextStorage.js";
import type { TaskContext } from "./TaskContext.js";

/** The current {@link Context}; an empty one outside any (`rootContextVar`'s default). */
export function internalCtx(): Context {
  return rootContextVar.get()!;
}

/**
 * The running task's {@link TaskContext}, or `undefined` outside a task (at module level, in
 * plain code). Costs one storage read when no context is set.
 */
export function ctx(): TaskContext | undefined {
  const storage = internalSlot.storage;
  // Fast path: nothing has been set in this execution, so no task can be running.
  if (storage === undefined) return undefined;
  const frame = storage.getStore();
  if (frame === undefined) return undefined;
  return rootContextVar.get()!.data.taskContext;
}
