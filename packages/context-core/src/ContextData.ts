import type { TaskContext } from "./TaskContext.js";
import type { GroupData, RawDataPath } from "./values.js";

/** The fields of a {@link ContextData}. */
export interface ContextDataInit {
  /** Set only while a task runs. */
  taskContext?: TaskContext;
  /** The raw data path used outside a task (local runs set it). */
  rawDataPath?: RawDataPath;
  groupData?: GroupData;
  /** Request metadata, as ordered key/value pairs. */
  metadata?: ReadonlyArray<readonly [string, string]>;
}

/** The immutable state a {@link Context} wraps. */
export class ContextData {
  readonly taskContext: TaskContext | undefined;
  readonly rawDataPath: RawDataPath | undefined;
  readonly groupData: GroupData | undefined;
  readonly metadata: ReadonlyArray<readonly [string, string]> | undefined;

  constructor(init: ContextDataInit = {}) {
    const source = copySource;
    if (source !== undefined) {
      // `withTaskContext`'s copy: the other fields are the source's, already frozen.
      copySource = undefined;
      this.taskContext = init.taskContext;
      this.rawDataPath = source.rawDataPath;
      this.groupData = source.groupData;
      this.metadata = source.metadata;
      Object.freeze(this);
      return;
    }
    // Every field assigned, present or not: one object shape for every ContextData.
    this.taskContext = init.taskContext;
    this.rawDataPath = init.rawDataPath;
    this.groupData = init.groupData;
    this.metadata = init.metadata === undefined ? undefined : freezeMetadata(init.metadata);
    Object.freeze(this);
  }

  /**
   * A new ContextData with another task context, every other field shared: what entering a
   * custom-context scope does, so it is a few stores rather than a general `replace`.
   */
  withTaskContext(taskContext: TaskContext | undefined): ContextData {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- handed to the constructor it calls
    copySource = this;
    return new ContextData({ taskContext });
  }

  /** A new ContextData with `patch` applied; `undefined` in the patch clears a field. */
  replace(patch: Partial<ContextDataInit>): ContextData {
    return new ContextData({
      taskContext: "taskContext" in patch ? patch.taskContext : this.taskContext,
      rawDataPath: "rawDataPath" in patch ? patch.rawDataPath : this.rawDataPath,
      groupData: "groupData" in patch ? patch.groupData : this.groupData,
      metadata: "metadata" in patch ? patch.metadata : this.metadata,
    });
  }
}

/** Handed from `withTaskContext` to the constructor: the ContextData to copy the other fields from. */
let copySource: ContextData | undefined;

/** Metadata arrays this module froze, shared between copies as they are. */
const FROZEN_METADATA = new WeakSet<object>();

function freezeMetadata(
  metadata: ReadonlyArray<readonly [string, string]>,
): ReadonlyArray<readonly [string, string]> {
  if (FROZEN_METADATA.has(metadata)) return metadata;
  const frozen = Object.freeze(metadata.map((pair) => Object.freeze([pair[0], pair[1]] as const)));
  FROZEN_METADATA.add(frozen);
  return frozen;
}
