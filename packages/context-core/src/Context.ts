import { ContextData } from "./ContextData.js";
import { ContextError } from "./errors.js";
import { ContextVar } from "./ContextVar.js";
import type { ScopeHandle } from "./ContextVar.js";
import { internalSlot } from "./contextStorage.js";
import type { TaskContext } from "./TaskContext.js";
import type { RawDataPath } from "./values.js";

/**
 * The SDK's context: an immutable wrapper of {@link ContextData}, made current with `run(fn)` or
 * `using _ = context.enter()` (Python's `with ctx:`). Every "mutator" returns a new Context.
 */
export class Context {
  readonly data: ContextData;

  constructor(data: ContextData) {
    // By shape, not `instanceof`: two copies of this package (the ESM CLI running a CommonJS task
    // file) share one context, so a ContextData may be the other copy's.
    if (
      !(data instanceof ContextData) &&
      typeof (data as { withTaskContext?: unknown } | null)?.withTaskContext !== "function"
    ) {
      throw new ContextError("NO_CONTEXT_DATA", "cannot create a Context without ContextData");
    }
    this.data = data;
    Object.freeze(this);
  }

  /** A new Context whose task context is `taskContext`. */
  replaceTaskContext(taskContext: TaskContext): Context {
    return new Context(this.data.withTaskContext(taskContext));
  }

  /** A new Context with another raw data path. */
  newRawDataPath(rawDataPath: RawDataPath): Context {
    return new Context(this.data.replace({ rawDataPath }));
  }

  /** Whether a task is running in this context. */
  isTaskContext(): boolean {
    return this.data.taskContext !== undefined;
  }

  /**
   * Where raw data goes: the task context's path, else this context's, else a
   * {@link ContextError} (`NO_RAW_DATA_PATH`).
   */
  get rawData(): RawDataPath {
    const fromTask = this.data.taskContext?.rawDataPath;
    if (fromTask !== undefined) return fromTask;
    if (this.data.rawDataPath !== undefined) return this.data.rawDataPath;
    throw new ContextError("NO_RAW_DATA_PATH", "the raw data path has not been set in the context");
  }

  /** Whether `rawData` would return a path. */
  hasRawData(): boolean {
    return this.data.taskContext?.rawDataPath !== undefined || this.data.rawDataPath !== undefined;
  }

  /**
   * Makes this context current until the returned handle is disposed (`using`, Python's
   * `with ctx:`), which restores the previous one for the code after the block; what work started
   * inside keeps, and when concurrent helpers must not use it, is {@link ContextVar.enter}'s rule.
   * Re-entrant: each call has its own handle.
   */
  enter(): ScopeHandle {
    return rootContextVar.enter(this);
  }

  /** Runs `fn` with this context current, in a branch of its own. */
  run<R>(fn: () => R): R {
    return rootContextVar.run(this, fn);
  }
}

/**
 * The variable that holds the current {@link Context}; its default is an empty context. It lives
 * beside Context because each needs the other (Context.enter sets it; its default is a Context).
 * It is one per process (pinned in the global slot), so two installed copies share one context.
 */
export const rootContextVar: ContextVar<Context, Context> = (internalSlot.rootContextVar ??=
  new ContextVar<Context>("flyte.root", {
    default: new Context(new ContextData()),
  })) as ContextVar<Context, Context>;
