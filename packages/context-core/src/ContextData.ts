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
  readonly taskContext?: TaskContext;
  readonly rawDataPath?: RawDataPath;
  readonly groupData?: GroupData;
  readonly metadata?: ReadonlyArray<readonly [string, string]>;

  constructor(init: ContextDataInit = {}) {
    if (init.taskContext !== undefined) this.taskContext = init.taskContext;
    if (init.rawDataPath !== undefined) this.rawDataPath = init.rawDataPath;
    if (init.groupData !== undefined) this.groupData = init.groupData;
    if (init.metadata !== undefined) {
      this.metadata = Object.freeze(
        init.metadata.map((pair) => Object.freeze([pair[0], pair[1]] as const)),
      );
    }
    Object.freeze(this);
  }

  /** A new ContextData with `patch` applied; `undefined` in the patch clears a field. */
  replace(patch: Partial<ContextDataInit>): ContextData {
    const next: ContextDataInit = {};
    const merged = { ...this.#fields(), ...patch };
    for (const key of ["taskContext", "rawDataPath", "groupData", "metadata"] as const) {
      if (merged[key] !== undefined) (next as Record<string, unknown>)[key] = merged[key];
    }
    return new ContextData(next);
  }

  #fields(): ContextDataInit {
    return {
      ...(this.taskContext !== undefined && { taskContext: this.taskContext }),
      ...(this.rawDataPath !== undefined && { rawDataPath: this.rawDataPath }),
      ...(this.groupData !== undefined && { groupData: this.groupData }),
      ...(this.metadata !== undefined && { metadata: this.metadata }),
    };
  }
}
