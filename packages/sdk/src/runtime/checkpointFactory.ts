/**
 * The checkpoint factory the runner hands to every TaskContext it makes: `ctx().checkpoint` is a
 * `@flyte/checkpoint` Checkpoint over the configured storage, which also tells the runner when it
 * loaded and saved. Knowing which attempts saved is what lets attempt N load the last checkpoint
 * ANY earlier attempt saved, not only N-1's (flyte#2894).
 */
import { Checkpoint } from "@flyte/checkpoint";
import type { CheckpointOptions } from "@flyte/checkpoint";
import type { CheckpointFactory } from "@flyte/context-core";
import type { Storage } from "@flyte/storage-adapters";

import type { StorageResolver } from "@flyte/checkpoint";

import { currentConfig } from "../init.js";
import type { RunState } from "./runState.js";
import { attemptVar } from "./runState.js";

/** Told when a checkpoint of the attempt is loaded or saved (successfully). */
export interface CheckpointHooks {
  /** After the first load of the attempt: whether a previous checkpoint was found. */
  readonly onLoad?: (found: boolean, source: string | undefined) => void;
  /** After every successful save. */
  readonly onSave?: (destination: string) => void;
  /** When the factory builds the attempt's checkpoint (so its owner can dispose of it). */
  readonly onCreate?: (checkpoint: Checkpoint) => void;
}

/** Options of {@link createCheckpointFactory}. */
export interface CheckpointFactoryOptions extends CheckpointHooks {
  /** @default `init`'s storage, else the storage of each URI's scheme */
  readonly storage?: Storage | StorageResolver;
}

/**
 * A factory for `new TaskContext({ checkpointFactory })`: builds the attempt's Checkpoint from its
 * checkpoint paths, with the storage given here or configured by `flyte.init`. The container
 * entrypoint uses it for the TaskContext it builds from its flags.
 */
export function createCheckpointFactory(options: CheckpointFactoryOptions = {}): CheckpointFactory {
  return (paths, task) => {
    const storage = "storage" in options ? options.storage : currentConfig().storage;
    const checkpoint = new TrackedCheckpoint(
      paths.checkpointPath,
      paths.prevCheckpointPath,
      // The task's signal: a timed-out or cancelled attempt stops saving (nothing half-written).
      {
        attempt: task.attemptNumber,
        signal: task.signal,
        ...(storage !== undefined && { storage }),
      },
      options,
    );
    options.onCreate?.(checkpoint);
    return checkpoint;
  };
}

/**
 * A Checkpoint that reports its first load and every save. Every other reader and writer of
 * @flyte/checkpoint (`loadJson`, `loadBytes`, `saveJson`, their sync twins) goes through these
 * four, so overriding them covers all.
 */
class TrackedCheckpoint extends Checkpoint {
  readonly #hooks: CheckpointHooks;
  readonly #source: string | undefined;
  #loadReported = false;

  constructor(
    destination: string,
    source: string | undefined,
    options: CheckpointOptions,
    hooks: CheckpointHooks,
  ) {
    super(destination, source, options);
    this.#hooks = hooks;
    this.#source = source;
  }

  override async load(): Promise<string | undefined> {
    return this.#loaded(await super.load());
  }

  override loadSync(): string | undefined {
    return this.#loaded(super.loadSync());
  }

  override async save(data: Uint8Array | string): Promise<void> {
    await super.save(data);
    this.#hooks.onSave?.(this.remoteDestination);
  }

  override saveSync(data: Uint8Array | string): void {
    super.saveSync(data);
    this.#hooks.onSave?.(this.remoteDestination);
  }

  #loaded<T>(value: T): T {
    if (!this.#loadReported) {
      this.#loadReported = true;
      this.#hooks.onLoad?.(value !== undefined, this.#source);
    }
    return value;
  }
}

/**
 * The checkpoint factory of a run's TaskContexts (one per run, not per attempt): the checkpoint
 * it builds tells the attempt it belongs to when it saved, and reports loads and saves.
 */
export function runCheckpointFactory(run: RunState): CheckpointFactory {
  return (paths, tctx) => {
    const current = attemptVar.get();
    const state =
      current !== undefined &&
      current.action === tctx.taskAction &&
      current.attempt === tctx.attemptNumber
        ? current
        : undefined;
    const info = state?.info;
    return createCheckpointFactory({
      storage: run.storage,
      onCreate: (checkpoint) => {
        if (state !== undefined) state.checkpoint = checkpoint;
      },
      onLoad: (found, source) => {
        if (info !== undefined)
          run.emit({ type: "checkpoint-load", ...info, source: source ?? "", found });
      },
      onSave: (destination) => {
        if (state !== undefined) state.saved = true;
        if (info !== undefined) run.emit({ type: "checkpoint-save", ...info, destination });
      },
    })(paths, tctx);
  };
}
