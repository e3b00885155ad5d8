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
import { CHECKPOINT_FILE_NAME, joinUri } from "../paths.js";
import type { StoredFiles } from "./storedFiles.js";

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
  readonly #files: StoredFiles;

  constructor(runBase: string, files: StoredFiles) {
    this.runBase = runBase;
    this.#files = files;
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
  writeInputs(action: string, bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    return this.#files.write(this.fileUri(action, INPUTS_FILE), bytes, signal);
  }

  /** The action's `inputs.pb`, or `undefined` when it has none. */
  readInputs(action: string): Promise<Uint8Array | undefined> {
    return this.#files.read(this.fileUri(action, INPUTS_FILE));
  }

  /** The finished action's `outputs.pb`, or `undefined` when it has not finished. */
  readOutputs(action: string, signal?: AbortSignal): Promise<Uint8Array | undefined> {
    return this.#files.read(this.fileUri(action, OUTPUTS_FILE), signal);
  }

  /** Commits the action: writes its `outputs.pb` (0 bytes for a task without outputs). */
  writeOutputs(action: string, bytes: Uint8Array): Promise<void> {
    return this.#files.write(this.fileUri(action, OUTPUTS_FILE), bytes);
  }

  /** Records the action's failure in `error.pb`. */
  writeError(action: string, bytes: Uint8Array): Promise<void> {
    return this.#files.write(this.fileUri(action, ERROR_FILE), bytes);
  }

  /**
   * What earlier processes left of an interrupted action: its attempt folders (`<action>/<n>/`)
   * say which attempt comes next, and the newest one holding a checkpoint is where the next
   * attempt resumes from.
   */
  async attemptHistory(action: string, signal?: AbortSignal): Promise<AttemptHistory> {
    const attempts = (await this.#files.children(this.actionPath(action), signal))
      .filter((name) => /^\d{1,9}$/.test(name))
      .map(Number)
      .sort((a, b) => b - a);
    const nextAttempt = attempts.length === 0 ? 0 : attempts[0]! + 1;
    for (const attempt of attempts) {
      const uri = joinUri(this.actionPath(action), String(attempt), CHECKPOINT_FILE_NAME);
      if (await this.#files.exists(uri)) return { nextAttempt, lastCheckpoint: uri };
    }
    return { nextAttempt };
  }
}
