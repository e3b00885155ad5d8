import { rootContextVar } from "@flyte/context-core";
import { EMPTY_MAP } from "./internal/validatedMerge.js";

/**
 * The running task's custom context: the values it inherited merged with every
 * {@link customContext} scope in force. A frozen map, `{}` outside a task (also inside a scope
 * entered outside a task: those values belong to the next run, read them with
 * {@link runScopeCustomContext}).
 *
 * O(1) and allocation-free: the task context's map is already frozen and never changes, so it is
 * returned as is. It is a snapshot by construction: entering or leaving a scope later installs
 * another map and never alters this one, which is why a child task that reads it when it is
 * called keeps the values in force at that call.
 */
export function getCustomContext(): Readonly<Record<string, string>> {
  // rootContextVar.get() rather than ctx(): one storage read instead of two on this hot path.
  return rootContextVar.get()?.data.taskContext?.customContext ?? EMPTY_MAP;
}
