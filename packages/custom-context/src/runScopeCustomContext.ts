import { ctx } from "@flyte/context-core";
import { driverScopeVar } from "./internal/driverScope.js";
import { EMPTY_MAP } from "./internal/validatedMerge.js";

/**
 * The values of the {@link customContext} scopes entered outside any task that are in force
 * here: the "scoped" layer of a run started at this point (see {@link resolveRunCustomContext}).
 * A frozen map; `{}` when no such scope is in force, and always `{}` inside a task, where scopes
 * go into the task's own context (read by {@link getCustomContext}) instead.
 *
 * Runners call it synchronously when a run starts.
 */
export function runScopeCustomContext(): Readonly<Record<string, string>> {
  if (ctx() !== undefined) return EMPTY_MAP;
  return driverScopeVar.get() ?? EMPTY_MAP;
}
