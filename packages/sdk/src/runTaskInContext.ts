/**
 * Runs a task's body once inside a TaskContext someone else built: the container entrypoint (from
 * its flags), the process isolation worker (from the wire form). No retries here — whoever built
 * the context owns the attempt — and errors come back unchanged, not wrapped. Tasks the body calls
 * run as child actions of `taskContext`, with the storage `flyte.init` configured.
 */
import { Context, ContextData, internalCtx } from "@flyte/context-core";
import type { TaskContext } from "@flyte/context-core";

import type { RunEventListener } from "./events.js";
import { currentConfig } from "./init.js";
import { attemptVar, createRunState, newAttemptState } from "./runState.js";
import type { Task } from "./task.js";
import { isTask } from "./task.js";
import { TaskDefinitionError } from "./errors.js";

/** Options of {@link runTaskInContext}. */
export interface RunTaskInContextOptions {
  /** Receives the events of the child actions the task starts. */
  readonly onEvent?: RunEventListener;
  /**
   * The context to derive from (its variables and group), @default the current one. The
   * entrypoint passes `new Context(new ContextData())` to start from nothing.
   */
  readonly base?: Context;
}

/** Runs `task.fn(...args)` with `taskContext` as `ctx()`, in a context branch of its own. */
export async function runTaskInContext<A extends unknown[], R>(
  task: Task<A, R>,
  taskContext: TaskContext,
  args: A,
  options: RunTaskInContextOptions = {},
): Promise<R> {
  if (!isTask(task)) {
    throw new TaskDefinitionError("INVALID_TASK", "task", `runTaskInContext needs a task made by env.task(...), got ${typeof task}`);
  }
  const config = currentConfig();
  const run = createRunState({
    runName: taskContext.action.runName,
    runRaw: taskContext.rawDataPath.path,
    storage: config.storage,
    resolve: config.resolve,
    ...(taskContext.runStartTime !== undefined && { startTime: taskContext.runStartTime }),
    onEvent: options.onEvent,
  });
  const state = newAttemptState(run, taskContext.taskAction, taskContext.attemptNumber);
  const base = options.base ?? internalCtx();
  const context = (base instanceof Context ? base : new Context(new ContextData())).replaceTaskContext(taskContext);
  return await attemptVar.run(state, () => context.run(() => task.fn(...args)));
}
