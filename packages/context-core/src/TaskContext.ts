import { ContextError } from "./errors.js";
import type { ActionID, CheckpointPaths, GroupData, RawDataPath } from "./values.js";

/**
 * What the core knows of a checkpoint: the shape `@flyte/checkpoint`'s `Checkpoint` has. The core
 * never imports checkpoint code; whoever creates the TaskContext supplies a factory.
 */
export interface CheckpointLike {
  readonly path: string;
  readonly remoteDestination: string;
  readonly remoteSource?: string | undefined;
  prevExists(): boolean;
  load(): Promise<string | undefined>;
  loadSync(): string | undefined;
  save(data: Uint8Array | string): Promise<void>;
  saveSync(data: Uint8Array | string): void;
}

/** Builds the checkpoint of a task context, once, on first access of `TaskContext.checkpoint`. */
export type CheckpointFactory = (
  paths: CheckpointPaths & { checkpointPath: string },
  task: TaskContext,
) => CheckpointLike;

/** Where a task runs: locally, in a cluster, or a local parent with remote children. */
export type ExecutionMode = "local" | "remote" | "hybrid";

/** The fields a TaskContext is made of. */
export interface TaskContextInit {
  action: ActionID;
  /** The real task's action, kept when `action` is swapped for a trace; defaults to `action`. */
  taskAction?: ActionID;
  version: string;
  rawDataPath: RawDataPath;
  inputPath?: string;
  outputPath: string;
  runBaseDir: string;
  checkpointPaths?: CheckpointPaths;
  groupData?: GroupData;
  /** @default "remote" (as in the Python SDK) */
  mode?: ExecutionMode;
  customContext?: Readonly<Record<string, string>>;
  data?: Readonly<Record<string, unknown>>;
  /** 0 on the first attempt, 1 after one retry, ... @default 0 */
  attemptNumber?: number;
  runStartTime?: Date;
  checkpointFactory?: CheckpointFactory;
  /**
   * Aborts when the task should stop: its attempt timed out, or the run or its parent was
   * cancelled. @default a signal that never aborts
   */
  signal?: AbortSignal;
}

/** A cell shared by a TaskContext and the copies `replace` makes, so all see one checkpoint. */
interface CheckpointCell {
  built: boolean;
  value: CheckpointLike | undefined;
}

const EMPTY: Record<string, never> = Object.freeze({}) as Record<string, never>;

/** The signal of a task that nothing can cancel. */
const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/** Handed from `replace` to the constructor it calls, so the copy shares the checkpoint cell. */
let inheritedCell: CheckpointCell | undefined;

/**
 * A custom context not built yet: `parent`'s, with `keys[i] = values[i]` on top. Handed from
 * `withCustomContext` to the constructor it calls.
 */
interface CustomContextLayer {
  readonly parent: TaskContext;
  readonly keys: readonly string[];
  readonly values: readonly string[];
}
let inheritedLayer: CustomContextLayer | undefined;
/** Handed from `withCustomContext` to the constructor: the context to copy every field from. */
let cloneSource: TaskContext | undefined;

/**
 * Who and where a running task is: its action, attempt, raw data path, checkpoint paths and
 * custom context. Immutable: `replace` returns a new one and never shares a map with the old.
 * `attemptNumber` is fixed when the context is made (by the runner or the entrypoint), never read
 * lazily from `process.env`, so it is right in reusable containers and in local retries.
 */
export class TaskContext {
  readonly action: ActionID;
  readonly taskAction: ActionID;
  readonly version: string;
  readonly rawDataPath: RawDataPath;
  readonly inputPath: string | undefined;
  readonly outputPath: string;
  readonly runBaseDir: string;
  readonly checkpointPaths: CheckpointPaths | undefined;
  readonly groupData: GroupData | undefined;
  readonly mode: ExecutionMode;
  readonly attemptNumber: number;
  /**
   * Aborts when the task should stop — its attempt ran out of time, or its run or parent was
   * cancelled. Pass it on to what the task waits for (`fetch(url, { signal })`); the SDK passes
   * it to child tasks, checkpoints and storage calls itself. `signal.reason` says why.
   */
  readonly signal: AbortSignal;
  // The maps are private copies, frozen on first read: Object.freeze of a fresh object costs
  // microseconds in V8, and a custom-context scope makes a TaskContext that may never be read.
  #customContext: Record<string, string> | undefined;
  /** Whether `#customContext` is built and frozen: the hot read is one private-field test. */
  #customFrozen = false;
  #layer: CustomContextLayer | undefined;
  #data: Record<string, unknown>;
  #dataFrozen = false;
  readonly #runStartMs: number | undefined;
  readonly #factory: CheckpointFactory | undefined;
  readonly #cell: CheckpointCell;

  constructor(init: TaskContextInit) {
    const source = cloneSource;
    if (source !== undefined) {
      // A custom-context scope's copy (`withCustomContext`): every field is the source's, checked
      // when the source was made, so the copy is a few stores (a scope is a hot path).
      cloneSource = undefined;
      this.#cell = source.#cell;
      this.#layer = inheritedLayer;
      inheritedLayer = undefined;
      this.action = source.action;
      this.taskAction = source.taskAction;
      this.version = source.version;
      this.rawDataPath = source.rawDataPath;
      this.inputPath = source.inputPath;
      this.outputPath = source.outputPath;
      this.runBaseDir = source.runBaseDir;
      this.checkpointPaths = source.checkpointPaths;
      this.groupData = source.groupData;
      this.mode = source.mode;
      this.attemptNumber = source.attemptNumber;
      this.signal = source.signal;
      this.#customContext = undefined;
      this.#data = source.#data;
      this.#dataFrozen = source.#dataFrozen;
      this.#runStartMs = source.#runStartMs;
      this.#factory = source.#factory;
      Object.freeze(this);
      return;
    }
    this.#cell = inheritedCell ?? { built: false, value: undefined };
    inheritedCell = undefined;
    this.#layer = inheritedLayer;
    inheritedLayer = undefined;
    if (init === null || typeof init !== "object") {
      throw new ContextError("INVALID_TASK_CONTEXT", "TaskContext needs an init object");
    }
    if (init.action == null) throw missing("action");
    if (init.version == null) throw missing("version");
    if (init.rawDataPath == null) throw missing("rawDataPath");
    if (init.outputPath == null) throw missing("outputPath");
    if (init.runBaseDir == null) throw missing("runBaseDir");
    const attempt = init.attemptNumber ?? 0;
    if (!Number.isSafeInteger(attempt) || attempt < 0) {
      throw new ContextError(
        "INVALID_TASK_CONTEXT",
        `attemptNumber must be a whole number ≥ 0, got ${String(attempt)}`,
      );
    }
    this.action = init.action;
    this.taskAction = init.taskAction ?? init.action;
    this.version = init.version;
    this.rawDataPath = init.rawDataPath;
    this.inputPath = init.inputPath;
    this.outputPath = init.outputPath;
    this.runBaseDir = init.runBaseDir;
    this.checkpointPaths = init.checkpointPaths;
    this.groupData = init.groupData;
    this.mode = init.mode ?? "remote";
    this.attemptNumber = attempt;
    this.signal = init.signal ?? NEVER_ABORTED;
    this.#customContext = this.#layer === undefined ? ownStrings(init.customContext) : undefined;
    this.#data = init.data === undefined ? EMPTY : ownCopy(init.data);
    this.#runStartMs = init.runStartTime === undefined ? undefined : init.runStartTime.getTime();
    this.#factory = init.checkpointFactory;
    Object.freeze(this);
  }

  /** User metadata propagated to child tasks (frozen; see `@flyte/custom-context`). */
  get customContext(): Readonly<Record<string, string>> {
    if (this.#customFrozen) return this.#customContext!;
    let map = this.#customContext;
    if (map === undefined) {
      map = flatten(this.#layer!);
      this.#customContext = map;
      this.#layer = undefined;
    }
    if (!FROZEN.has(map)) freezeOwned(map);
    this.#customFrozen = true;
    return map;
  }

  /**
   * One value of the custom context, without building the whole map (which a scope made with
   * {@link withCustomContext} defers until someone reads it).
   */
  customContextValue(key: string): string | undefined {
    const map = this.#customContext;
    if (map !== undefined)
      return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
    const layer = this.#layer!;
    for (let i = layer.keys.length - 1; i >= 0; i--)
      if (layer.keys[i] === key) return layer.values[i];
    return layer.parent.customContextValue(key);
  }

  /**
   * A copy whose custom context is this one's with `keys[i] = values[i]` added on top (later
   * entries win). O(entries added): the merged map is built on first read of `customContext`, so
   * entering a scope that no one reads costs no copy of the inherited map. Everything else, the
   * checkpoint included, is shared as with `replace`.
   */
  withCustomContext(keys: readonly string[], values: readonly string[]): TaskContext {
    if (keys.length !== values.length) {
      throw new ContextError(
        "INVALID_TASK_CONTEXT",
        "withCustomContext needs as many values as keys",
      );
    }
    for (let i = 0; i < values.length; i++) {
      if (typeof keys[i] !== "string" || typeof values[i] !== "string") {
        throw new ContextError(
          "INVALID_TASK_CONTEXT",
          `customContext keys and values must be strings; "${String(keys[i])}" is ${typeof values[i]}`,
        );
      }
    }
    inheritedLayer = { parent: this, keys: keys.slice(), values: values.slice() };
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- handed to the constructor it calls
    cloneSource = this;
    // The init is ignored on this path (see the constructor); the source provides every field.
    return new TaskContext(CLONE_INIT);
  }

  /** A bag of values plugins attach to the task (frozen). */
  get data(): Readonly<Record<string, unknown>> {
    const map = this.#data;
    if (this.#dataFrozen) return map;
    if (!FROZEN.has(map)) freezeOwned(map);
    this.#dataFrozen = true;
    return map;
  }

  /** When the run started, if the runtime said (a new Date on each read: Dates are mutable). */
  get runStartTime(): Date | undefined {
    return this.#runStartMs === undefined ? undefined : new Date(this.#runStartMs);
  }

  /**
   * This attempt's checkpoint, built once on first access through the factory the runner
   * supplied; `undefined` when the task has no checkpoint path. Copies made by `replace` (a custom
   * context scope, say) share it, so its load cache holds for the whole attempt.
   */
  get checkpoint(): CheckpointLike | undefined {
    const cell = this.#cell;
    if (!cell.built) {
      const paths = this.checkpointPaths;
      const dest = paths?.checkpointPath;
      cell.value =
        paths !== undefined && dest !== undefined && this.#factory !== undefined
          ? this.#factory(paths as CheckpointPaths & { checkpointPath: string }, this)
          : undefined;
      cell.built = true;
    }
    return cell.value;
  }

  /** The factory this context builds its checkpoint with (for runners that derive contexts). */
  get checkpointFactory(): CheckpointFactory | undefined {
    return this.#factory;
  }

  /**
   * A new TaskContext with `patch` applied. `data` is merged into the current data (as in the
   * Python SDK); every other field given is replaced (`undefined` clears an optional one). Maps
   * are copied, never shared with the caller; a frozen map this class made is reused as it is.
   */
  replace(patch: Partial<TaskContextInit>): TaskContext {
    if (!("customContext" in patch) && this.#customContext === undefined) {
      // Keep the custom context deferred: the copy layers the same entries on the same parent.
      inheritedLayer = this.#layer;
    }
    const samePaths =
      !("checkpointPaths" in patch) &&
      !("checkpointFactory" in patch) &&
      !("attemptNumber" in patch);
    inheritedCell = samePaths ? this.#cell : undefined;
    try {
      return new TaskContext({
        action: "action" in patch ? patch.action! : this.action,
        taskAction: "taskAction" in patch ? patch.taskAction : this.taskAction,
        version: "version" in patch ? patch.version! : this.version,
        rawDataPath: "rawDataPath" in patch ? patch.rawDataPath! : this.rawDataPath,
        inputPath: "inputPath" in patch ? patch.inputPath : this.inputPath,
        outputPath: "outputPath" in patch ? patch.outputPath! : this.outputPath,
        runBaseDir: "runBaseDir" in patch ? patch.runBaseDir! : this.runBaseDir,
        checkpointPaths: "checkpointPaths" in patch ? patch.checkpointPaths : this.checkpointPaths,
        groupData: "groupData" in patch ? patch.groupData : this.groupData,
        mode: "mode" in patch ? patch.mode : this.mode,
        customContext:
          "customContext" in patch
            ? patch.customContext
            : inheritedLayer === undefined
              ? this.customContext
              : undefined,
        data: patch.data === undefined ? this.data : { ...this.data, ...patch.data },
        attemptNumber: "attemptNumber" in patch ? patch.attemptNumber : this.attemptNumber,
        runStartTime: "runStartTime" in patch ? patch.runStartTime : this.runStartTime,
        checkpointFactory: "checkpointFactory" in patch ? patch.checkpointFactory : this.#factory,
        signal: "signal" in patch ? patch.signal : this.signal,
      });
    } finally {
      inheritedCell = undefined;
      inheritedLayer = undefined;
    }
  }
}

/** The init `withCustomContext` passes: unused, the constructor copies its `cloneSource`. */
const CLONE_INIT = {} as TaskContextInit;

/** Builds a deferred custom context: the parent's map (built if need be) with the layer on top. */
function flatten(layer: CustomContextLayer): Record<string, string> {
  const map: Record<string, string> = Object.assign({}, layer.parent.customContext);
  for (let i = 0; i < layer.keys.length; i++) map[layer.keys[i]!] = layer.values[i]!;
  return map;
}

/** Maps this module froze: safe to share between TaskContexts without a copy. */
const FROZEN = new WeakSet<object>([EMPTY]);

function freezeOwned(map: object): void {
  Object.freeze(map);
  FROZEN.add(map);
}

function missing(field: string): ContextError {
  return new ContextError("INVALID_TASK_CONTEXT", `TaskContext needs ${field}`);
}

/** A private copy of `map` (or `map` itself when this module froze it), values checked to be strings. */
function ownStrings(map: Readonly<Record<string, string>> | undefined): Record<string, string> {
  if (map === undefined) return EMPTY;
  if (FROZEN.has(map)) return map as Record<string, string>;
  const copy: Record<string, string> = {};
  for (const k of Object.keys(map)) {
    const v = map[k];
    if (typeof v !== "string") {
      throw new ContextError(
        "INVALID_TASK_CONTEXT",
        `customContext values must be strings; "${k}" is ${typeof v}`,
      );
    }
    copy[k] = v;
  }
  return copy;
}

function ownCopy(map: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return FROZEN.has(map) ? (map as Record<string, unknown>) : Object.assign({}, map);
}
