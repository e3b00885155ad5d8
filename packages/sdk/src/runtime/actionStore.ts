/**
 * The action store: what every action of a run leaves behind, laid out as Flyte lays it out —
 *
 * ```
 * <run base>/<action>/inputs.pb                       flyteidl2.task.Inputs, written before it runs
 * <run base>/<action>/outputs.pb                      flyteidl2.task.Outputs, once it succeeded
 * <run base>/<action>/error.pb                        flyteidl2.core.ErrorDocument, once it failed
 * <run base>/<action>/<attempt>/_flytecheckpoints     each attempt's checkpoint
 * ```
 *
 * on whatever storage the run uses. Every write is one atomic `put` (readers see all of a file
 * or none of it), and `outputs.pb` is the commit point of an action: once it is there, the action
 * is finished, and a retried parent or a resumed run gets its outputs instead of running it again.
 */
import type { StorageResolver } from "@flyte/checkpoint";

import { CHECKPOINT_FILE_NAME, joinUri } from "../paths.js";
import type { IoLimiter } from "./ioLimiter.js";

/** The files of one action, by name. */
export const INPUTS_FILE = "inputs.pb";
export const OUTPUTS_FILE = "outputs.pb";
export const ERROR_FILE = "error.pb";

/** Where an interrupted action stands: the attempt to run next and the checkpoint it loads. */
export interface AttemptHistory {
  /** The number of the next attempt (one past the highest an earlier process started). */
  readonly nextAttempt: number;
  /** The last checkpoint an earlier attempt saved, if any. */
  readonly lastCheckpoint?: string;
}

/** Reads and writes the files of a run's actions. */
export class ActionStore {
  readonly runBase: string;
  readonly #resolve: StorageResolver;
  readonly #io: IoLimiter;

  constructor(runBase: string, resolve: StorageResolver, io: IoLimiter) {
    this.runBase = runBase;
    this.#resolve = resolve;
    this.#io = io;
  }

  /** `<run base>/<action>`: the action's output path. */
  actionPath(action: string): string {
    return joinUri(this.runBase, action);
  }

  /** The URI of one of the action's files. */
  fileUri(action: string, file: string): string {
    return joinUri(this.runBase, action, file);
  }

  /** Writes the action's `inputs.pb` (deterministic bytes, so a rewrite is byte-identical). */
  async writeInputs(action: string, bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    await this.#put(this.fileUri(action, INPUTS_FILE), bytes, signal);
  }

  /** The action's `inputs.pb`, or `undefined` when it has none. */
  readInputs(action: string): Promise<Uint8Array | undefined> {
    return this.#get(this.fileUri(action, INPUTS_FILE));
  }

  /** The finished action's `outputs.pb`, or `undefined` when it has not finished. */
  readOutputs(action: string, signal?: AbortSignal): Promise<Uint8Array | undefined> {
    return this.#get(this.fileUri(action, OUTPUTS_FILE), signal);
  }

  /** Commits the action: writes its `outputs.pb` (0 bytes for a task without outputs). */
  async writeOutputs(action: string, bytes: Uint8Array): Promise<void> {
    await this.#put(this.fileUri(action, OUTPUTS_FILE), bytes);
  }

  /** Records the action's failure in `error.pb`. */
  async writeError(action: string, bytes: Uint8Array): Promise<void> {
    await this.#put(this.fileUri(action, ERROR_FILE), bytes);
  }

  /**
   * What earlier processes left of an interrupted action: its attempt folders (`<action>/<n>/`)
   * say which attempt comes next, and the newest one holding a checkpoint is where the next
   * attempt resumes from.
   */
  async attemptHistory(action: string, signal?: AbortSignal): Promise<AttemptHistory> {
    const { storage, key } = this.#resolve(joinUri(this.actionPath(action), "/"));
    const prefix = key.endsWith("/") ? key : `${key}/`;
    const attempts: number[] = [];
    for await (const entry of storage.list(prefix, { delimiter: "/" })) {
      if (signal?.aborted === true) throw signal.reason;
      const name = ("prefix" in entry ? entry.prefix : entry.key)
        .slice(prefix.length)
        .replace(/\/$/, "");
      if (/^\d{1,9}$/.test(name)) attempts.push(Number(name));
    }
    attempts.sort((a, b) => b - a);
    const nextAttempt = attempts.length === 0 ? 0 : attempts[0]! + 1;
    for (const attempt of attempts) {
      const uri = joinUri(this.actionPath(action), String(attempt), CHECKPOINT_FILE_NAME);
      const { storage: s, key: k } = this.#resolve(uri);
      if ((await s.head(k)) !== null) return { nextAttempt, lastCheckpoint: uri };
    }
    return { nextAttempt };
  }

  async #put(uri: string, bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    const { storage, key } = this.#resolve(uri);
    await this.#io.run(() =>
      storage.put(key, bytes, {
        contentType: "application/x-protobuf",
        ...(signal !== undefined && { signal }),
      }),
    );
  }

  async #get(uri: string, signal?: AbortSignal): Promise<Uint8Array | undefined> {
    const { storage, key } = this.#resolve(uri);
    try {
      return await this.#io.run(() =>
        storage.get(key, signal === undefined ? undefined : { signal }),
      );
    } catch (error) {
      // By code, not class: a user adapter or another copy of the package throws its own.
      if ((error as { code?: unknown } | null)?.code === "NOT_FOUND") return undefined;
      throw error;
    }
  }
}
