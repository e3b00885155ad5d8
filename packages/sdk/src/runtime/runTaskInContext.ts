/**
 * Runs a task's body once inside a TaskContext someone else built: the container entrypoint (from
 * its flags), the process isolation worker (from the parent's message), a test. No retries here —
 * whoever built the context owns the attempt — and errors come back unchanged, not wrapped.
 * Tasks the body calls run as child actions of `taskContext`: their files go under its
 * `runBaseDir`, and children a previous attempt finished there are reused.
 */
import { Context, ContextData, internalCtx } from "@flyte/context-core";
import type { TaskContext } from "@flyte/context-core";

import { TaskDefinitionError } from "../errors.js";
import type { RunEventListener } from "../events.js";
import { currentConfig } from "../init.js";
import type { Task } from "../task/task.js";
import { isTask } from "../task/task.js";
import type { CacheMode } from "./runState.js";
import { attemptVar, createRunState, newAttemptState } from "./runState.js";

/** Options of {@link runTaskInContext}. */
export interface RunTaskInContextOptions {
  /** Receives the events of the child actions the task starts. */
  readonly onEvent?: RunEventListener;
  /**
   * The context to derive from (its variables and group), @default the current one. The
   * entrypoint passes `new Context(new ContextData())` to start from nothing.
   */
  readonly base?: Context;
  /** Where the children's task cache lives. @default `init`'s `cachePath` */
  readonly cachePath?: string;
  /** How the children use the task cache. @default "use" */
  readonly cacheMode?: CacheMode;
  /** Whether the run is a resume (interrupted children continue their attempts). */
  readonly resumed?: boolean;
}

/** Runs `task.fn(...args)` with `taskContext` as `ctx()`, in a context branch of its own. */
export async function runTaskInContext<A extends unknown[], R>(
  task: Task<A, R>,
  taskContext: TaskContext,
  args: A,
  options: RunTaskInContextOptions = {},
): Promise<R> {
  if (!isTask(task)) {
    throw new TaskDefinitionError(
      "INVALID_TASK",
      "task",
      `runTaskInContext needs a task made by env.task(...), got ${typeof task}`,
    );
  }
  return runInTaskContext(taskContext, options, () => task.fn(...args));
}

/**
 * Runs `body` with `taskContext` as `ctx()`, in a context branch of its own, as one attempt of
 * that task: what the entrypoint and the isolation worker wrap around decoding the inputs,
 * calling the function and encoding its outputs.
 */
export async function runInTaskContext<R>(
  taskContext: TaskContext,
  options: RunTaskInContextOptions,
  body: () => R | PromiseLike<R>,
): Promise<R> {
  const config = currentConfig();
  const run = createRunState({
    runName: taskContext.action.runName,
    runBase: taskContext.runBaseDir,
    storage: config.storage,
    resolve: config.resolve,
    ...(taskContext.runStartTime !== undefined && { startTime: taskContext.runStartTime }),
    onEvent: options.onEvent,
    ...(options.cachePath !== undefined && { cachePath: options.cachePath }),
    ...(options.cacheMode !== undefined && { cacheMode: options.cacheMode }),
    consultStore: true,
    resumed: options.resumed ?? false,
    signal: taskContext.signal,
  });
  const state = newAttemptState(run, taskContext.taskAction, taskContext.attemptNumber);
  const base = options.base ?? internalCtx();
  const context = (
    base instanceof Context ? base : new Context(new ContextData())
  ).replaceTaskContext(taskContext);
  try {
    return await attemptVar.run(state, () => context.run(body));
  } finally {
    run.close();
  }
}
