/**
 * @flyte/context-core on Node: installs one process-wide AsyncLocalStorage (shared by every copy
 * of the package through a versioned global), then exports the same API as the universal entry.
 */
import { installNodeStorage } from "./installNodeStorage.js";

installNodeStorage();

export {
  ContextVar,
  Token,
  contextualRun,
  copyContext,
  contextual,
  gather,
  contextStorageKind,
  Context,
  rootContextVar,
  ContextData,
  internalCtx,
  ctx,
  requireCtx,
  TaskContext,
  ActionID,
  RawDataPath,
  CheckpointPaths,
  GroupData,
  normalizeTemplateValue,
  ContextError,
} from "./index.js";
export type {
  ContextVarConstructor,
  ContextVarOptions,
  GatherResults,
  ScopeHandle,
  ContextSnapshot,
  ContextDataInit,
  TaskContextInit,
  CheckpointLike,
  CheckpointFactory,
  ExecutionMode,
  ContextErrorCode,
} from "./index.js";
