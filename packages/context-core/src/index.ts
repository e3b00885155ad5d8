/**
 * @flyte/context-core — contextvars for JavaScript and the Flyte execution context built on them.
 *
 * This is the universal entry: without AsyncLocalStorage it falls back to a synchronous stack that
 * reports "no context" after an await. On Node the `node` export condition loads `node.ts`, which
 * installs one process-wide AsyncLocalStorage first.
 */
export { ContextVar } from "./ContextVar.js";
export type { ContextVarConstructor, ContextVarOptions, ScopeHandle } from "./ContextVar.js";
export { Token } from "./Token.js";
export { contextualRun, copyContext } from "./contextualRun.js";
export { contextual } from "./contextual.js";
export { gather } from "./gather.js";
export type { GatherResults } from "./gather.js";
export type { ContextSnapshot } from "./contextualRun.js";
export { contextStorageKind } from "./contextStorage.js";
export { Context, rootContextVar } from "./Context.js";
export { ContextData } from "./ContextData.js";
export type { ContextDataInit } from "./ContextData.js";
export { internalCtx, ctx } from "./internalCtx.js";
export { requireCtx } from "./requireCtx.js";
export { TaskContext } from "./TaskContext.js";
export type {
  TaskContextInit,
  CheckpointLike,
  CheckpointFactory,
  ExecutionMode,
} from "./TaskContext.js";
export { ActionID, RawDataPath, CheckpointPaths, GroupData } from "./values.js";
export { normalizeTemplateValue } from "./normalizeTemplateValue.js";
export { ContextError } from "./errors.js";
export type { ContextErrorCode } from "./errors.js";
