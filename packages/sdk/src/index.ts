/**
 * @flyte/sdk — the facade users install: tasks, retries with checkpoints, a local runner, and
 * every export of the packages it wires together (context-core, custom-context,
 * storage-adapters, checkpoint), so `import * as flyte from "@flyte/sdk"` is all a task needs.
 *
 * ```ts
 * const env = new flyte.TaskEnvironment({ name: "demo" });
 * export const useCheckpoint = env.task({ retries: 3 }, async function useCheckpoint(n: number) {
 *   const cp = flyte.ctx()!.checkpoint!;
 *   let index = (await cp.loadJson<number>()) ?? 0;
 *   for (; index < n; index++) await cp.saveJson(index + 1);
 *   return index;
 * });
 * await flyte.run(useCheckpoint, 10);
 * ```
 */

// The sibling packages, whole: their names are part of this package's API (api.md).
export * from "@flyte/context-core";
export * from "@flyte/custom-context";
export * from "@flyte/storage-adapters";
export * from "@flyte/checkpoint";
export * from "@flyte/type-engine";

// Types `ctx().checkpoint` as the Checkpoint it is (loadJson, saveJson, ...): an augmentation.
export type { CheckpointHelpers } from "./checkpointTypes.js";

// Tasks and environments.
export { TaskEnvironment } from "./environment.js";
export type {
  CallInputs,
  TaskEnvironmentOptions,
  TaskInputs,
  TaskOptions,
  TaskOutput,
  TaskOutputs,
  TaskReturn,
  TaskReturns,
} from "./environment.js";
export { isTask } from "./task/task.js";
export type {
  AnyTask,
  Isolation,
  ResolvedTaskOptions,
  Task,
  TaskEnvironmentRef,
  TaskOf,
} from "./task/task.js";
export type { InputSchemas, IoVar, TaskInterface } from "./task/taskInterface.js";
export { findTask, listTasks, exportNameOf } from "./task/findTask.js";
export { group, currentGroup } from "./group.js";

// Runs.
export { run, withRunContext } from "./runner.js";
export type { RunContext, RunContextOptions } from "./runner.js";
export { init, currentConfig } from "./init.js";
export type { InitOptions, SdkConfig } from "./init.js";
export type { ActionEventBase, ActionInfo, RunEvent, RunEventListener } from "./events.js";

// Retries, timeouts, caching.
export { computeDelay, normalizeRetries, NO_RETRIES } from "./task/retry.js";
export type { Backoff, RetryPolicy, RetrySpec } from "./task/retry.js";
export { normalizeTimeout, NO_TIMEOUT, DEFAULT_GRACE_MS } from "./task/timeoutPolicy.js";
export type { TimeoutPolicy, TimeoutSpec } from "./task/timeoutPolicy.js";
export { normalizeCache, NO_CACHE } from "./task/cachePolicy.js";
export type { CacheBehavior, CachePolicy, CacheSpec } from "./task/cachePolicy.js";
export { parseDuration, formatDuration } from "./duration.js";
export type { Duration } from "./duration.js";

// Seams for the container entrypoint and the CLI.
export { runTaskInContext, runInTaskContext } from "./runtime/runTaskInContext.js";
export type { RunTaskInContextOptions } from "./runtime/runTaskInContext.js";
export { createCheckpointFactory } from "./runtime/checkpointFactory.js";
export type { CheckpointFactoryOptions, CheckpointHooks } from "./runtime/checkpointFactory.js";
export { ROOT_ACTION_NAME, RUN_RECORD_FILE } from "./runtime/startRun.js";
export { ActionStore, INPUTS_FILE, OUTPUTS_FILE, ERROR_FILE } from "./runtime/actionStore.js";
export type { AttemptHistory } from "./runtime/actionStore.js";
export { errorDocumentOf } from "./runtime/errorDocument.js";
export { checkpointPathFor, joinUri, CHECKPOINT_FILE_NAME } from "./paths.js";

// The container entrypoint's contract, for tools that build or check `flyte-task` command lines.
export { parseEntrypointArgs } from "./entrypoint/parseEntrypointArgs.js";
export type { EntrypointRequest } from "./entrypoint/parseEntrypointArgs.js";
export type { EntrypointConfig } from "./entrypoint/EntrypointConfig.js";
export { EntrypointError } from "./entrypoint/EntrypointError.js";
export { ExitCode } from "./entrypoint/exitCodes.js";

// Errors.
export {
  AttemptCrashedError,
  ConfigurationError,
  FlyteSdkError,
  IsolationError,
  NonRecoverableError,
  NotInTaskError,
  RetryStrategyError,
  RunCancelledError,
  TaskDefinitionError,
  TaskFailedError,
  TaskNotFoundError,
  TaskTimeoutError,
  isNonRecoverable,
} from "./errors.js";
export type { AttemptFailure, FlyteSdkErrorCode } from "./errors.js";
