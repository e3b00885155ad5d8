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
  ContextVarOptions,
  ScopeHandle,
  ContextSnapshot,
  ContextDataInit,
  TaskContextInit,
  CheckpointLike,
  CheckpointFactory,
  ExecutionMode,
  ContextErrorCode,
} from "./index.js";
