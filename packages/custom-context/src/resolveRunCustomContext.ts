import { ctx } from "@flyte/context-core";
import { mergeCustomContext } from "./mergeCustomContext.js";
import { runScopeCustomContext } from "./runScopeCustomContext.js";

/**
 * The custom context a run started here begins with, by the documented precedence
 * (lowest first):
 *
 * 1. `runLevel`: the values given to the run itself (`withRunContext({ customContext })`);
 * 2. inherited: the calling task's custom context, when the run is started inside a task
 *    (scopes entered inside the task are already part of it);
 * 3. scoped: the {@link customContext} scopes entered outside any task that are in force here.
 *
 * Call it synchronously when the run starts. Validated like a scope.
 *
 * @throws {CustomContextError} for a bad key or value in `runLevel`, or a merged map over the limits.
 */
export function resolveRunCustomContext(
  runLevel?: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  return mergeCustomContext(runLevel, ctx()?.customContext, runScopeCustomContext());
}
