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
}

/** A cell shared by a TaskContext and the copies `replace` makes, so all see one checkpoint. */
interface CheckpointCell {
  built: boolean;
  value: CheckpointLike | undefined;
}

const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

/** Handed from `replace` to the constructor it calls, so the copy shares the checkpoint cell. */
let inheritedCell: CheckpointCell | undefined;

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
  readonly inputPath?: string;
  readonly outputPath: string;
  readonly runBaseDir: string;
  readonly checkpointPaths?: CheckpointPaths;
  readonly groupData?: GroupData;
  readonly mode: ExecutionMode;
  readonly customContext: Readonly<Record<string, string>>;
  readonly data: Readonly<Record<string, unknown>>;
  readonly attemptNumber: number;
  readonly runStartTime?: Date;
  readonly #factory: CheckpointFactory | undefined;
  readonly #cell: CheckpointCell;

  constructor(init: TaskContextInit) {
    this.#cell = inheritedCell ?? { built: false, value: undefined };
    inheritedCell = undefined;
    if (init === null || typeof init !== "object") {
      throw new ContextError("INVALID_TASK_CONTEXT", "TaskContext needs an init object");
    }
    for (const field of ["action", "version", "rawDataPath", "outputPath", "runBaseDir"] as const) {
      if (init[field] === undefined || init[field] === null) {
        throw new ContextError("INVALID_TASK_CONTEXT", `TaskContext needs ${field}`);
      }
    }
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
    if (init.inputPath !== undefined) this.inputPath = init.inputPath;
    this.outputPath = init.outputPath;
    this.runBaseDir = init.runBaseDir;
    if (init.checkpointPaths !== undefined) this.checkpointPaths = init.checkpointPaths;
    if (init.groupData !== undefined) this.groupData = init.groupData;
    this.mode = init.mode ?? "remote";
    this.customContext = freezeStrings(init.customContext);
    this.data = init.data === undefined ? EMPTY : Object.freeze({ ...init.data });
    this.attemptNumber = attempt;
    if (init.runStartTime !== undefined) this.runStartTime = new Date(init.runStartTime.getTime());
    this.#factory = init.checkpointFactory;
    Object.freeze(this);
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
   * Python SDK); every other field is replaced. Maps are copied and frozen, never shared.
   */
  replace(patch: Partial<TaskContextInit>): TaskContext {
    const samePaths =
      !("checkpointPaths" in patch) &&
      !("checkpointFactory" in patch) &&
      !("attemptNumber" in patch);
    inheritedCell = samePaths ? this.#cell : undefined;
    try {
      return new TaskContext({
        ...this.#init(),
        ...patch,
        data: patch.data === undefined ? this.data : { ...this.data, ...patch.data },
      });
    } finally {
      inheritedCell = undefined;
    }
  }

  #init(): TaskContextInit {
    return {
      action: this.action,
      taskAction: this.taskAction,
      version: this.version,
      rawDataPath: this.rawDataPath,
      ...(this.inputPath !== undefined && { inputPath: this.inputPath }),
      outputPath: this.outputPath,
      runBaseDir: this.runBaseDir,
      ...(this.checkpointPaths !== undefined && { checkpointPaths: this.checkpointPaths }),
      ...(this.groupData !== undefined && { groupData: this.groupData }),
      mode: this.mode,
      customContext: this.customContext,
      data: this.data,
      attemptNumber: this.attemptNumber,
      ...(this.runStartTime !== undefined && { runStartTime: this.runStartTime }),
      ...(this.#factory !== undefined && { checkpointFactory: this.#factory }),
    };
  }
}

function freezeStrings(
  map: Readonly<Record<string, string>> | undefined,
): Readonly<Record<string, string>> {
  if (map === undefined) return EMPTY;
  const copy: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== "string") {
      throw new ContextError(
        "INVALID_TASK_CONTEXT",
        `customContext values must be strings; "${k}" is ${typeof v}`,
      );
    }
    copy[k] = v;
  }
  return Object.freeze(copy);
}
