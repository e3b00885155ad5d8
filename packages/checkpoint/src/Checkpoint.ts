// `fs.promises` is read on first use: loading node:fs/promises at import costs ~3 ms.
import fs, { mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { ChecksumAlgorithm } from "./checksum/createChecksum.js";
import {
  CheckpointAbortedError,
  CheckpointConfigurationError,
  CheckpointFormatError,
  CheckpointInputError,
  CheckpointStateError,
} from "./errors.js";
import { PAYLOAD } from "./IoContext.js";
import type { IoContext, Restored } from "./IoContext.js";
import { defaultExtractionLimits } from "./limits.js";
import type { ExtractionLimits } from "./limits.js";
import type { CheckpointFormat } from "./manifest.js";
import { normalizeCheckpointUri } from "./normalizeSource.js";
import { loadEngine, loadEngineAsync } from "./lazy/engineModule.js";
import { checkSaveArgument } from "./saveInput.js";
import { locate, toCheckpointError } from "./storageAccess.js";
import type { CheckpointStorageOption, Located } from "./storageAccess.js";
import { Workspace } from "./workspace/Workspace.js";

/** Options of {@link Checkpoint}. */
export interface CheckpointOptions {
  /**
   * Where the objects live: a resolver `(uri) => { storage, key }`, or one `Storage` whose keys
   * the destination and source are. @default `resolveStorage` from `@flyte/storage-adapters`
   */
  readonly storage?: CheckpointStorageOption;
  /** This attempt's number, recorded in the manifest and used for diagnostics. */
  readonly attempt?: number;
  /**
   * zlib level for directory archives. Python's `tarfile` `w:gz` uses 9; 6 (gzip's and
   * `tar czf`'s default) is several times faster for a few percent more bytes. Any level reads
   * back everywhere. @default 6
   */
  readonly compressionLevel?: number;
  /**
   * The checksum the manifest records and `load` verifies. CRC-32 detects a damaged or
   * truncated object as surely as this needs, at several GB/s; sha256 costs as long as copying
   * the bytes, on save and again on load, and adds no protection against tampering (the
   * manifest is as writable as the object). Loads verify whichever the writer chose; manifests
   * of older writers carry sha256 and are verified by it. @default "crc32"
   */
  readonly checksum?: ChecksumAlgorithm;
  /**
   * Guards applied when a directory archive is restored. A directory save checks its archive
   * against them too, so it never stores what its own `load` would refuse.
   */
  readonly limits?: Partial<ExtractionLimits>;
  /**
   * How a directory save treats a symlink that `load` would refuse (an absolute target, like a
   * virtualenv's `bin/python`, or one leading out of the directory): `false` refuses the save
   * with `CheckpointUnsupportedEntryError` naming it; `true` stores what the link points to
   * (and dereferences everything inside a directory reached that way, as `tar -h`). Links that
   * stay inside are stored as links either way. @default false
   */
  readonly followSymlinks?: boolean;
  /**
   * Stops every call of this checkpoint: a save or load in progress ends promptly with
   * `CheckpointAbortedError` (a save aborted before its object landed leaves the previous
   * checkpoint, and the temp files of either are removed); later calls fail at once. Blocking
   * calls check it when they start. Each async call can take its own `signal` too.
   */
  readonly signal?: AbortSignal;
  /** Where the workspace folder is created (when first needed). @default os.tmpdir() */
  readonly tmpDir?: string;
  /** Receives warnings (a stale manifest, a skipped socket). @default console.warn */
  readonly onWarning?: (message: string) => void;
}

/** Options of one async call (`load`, `save` and their typed forms). */
export interface CheckpointCallOptions {
  /** Stops this call (as {@link CheckpointOptions.signal} does for all). */
  readonly signal?: AbortSignal;
}

/** What the last successful `load` restored. */
export interface CheckpointLoadInfo {
  /** The URI it was read from: the source, or the destination on an in-attempt restart. */
  readonly uri: string;
  readonly format: CheckpointFormat;
  /** A manifest vouched for the object and its size and checksum matched. */
  readonly verified: boolean;
  /** The local path `load` returned. */
  readonly path: string;
}

function combine(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return AbortSignal.any([a, b]);
}

/**
 * Durable task state across retries, wire-compatible with the Flyte Python SDK.
 *
 * `save` writes this attempt's checkpoint (`destination`); `load` restores the previous one
 * (`source`) into a local workspace and returns a directory (a saved directory) or a file named
 * `payload` (saved bytes or a file). Bytes and files are stored raw, a directory as a gzip tar
 * of its top-level entries, so Python reads what this writes and the other way round; a small
 * manifest beside the object (`<object>.manifest.json`, written before it) adds integrity
 * checks Python ignores.
 *
 * - `load` resolves to `undefined` only when there is no previous checkpoint; damage, refused
 *   access and outages throw typed {@link CheckpointError}s naming the URI.
 * - When the destination already holds an object (a restart inside the same attempt, e.g. a
 *   JobSet or torchrun restart), `load` restores that newer state instead of the source.
 * - Calls are serialized per instance: concurrent `save`s run in call order, the last one wins.
 *   Saves of other instances and processes to the same URI may run at the same time: a load
 *   always gets one of the saved versions whole.
 * - The local workspace is created when first needed and removed by `dispose()` (or `using`),
 *   or at process exit.
 *
 * @example
 * ```ts
 * using cp = new Checkpoint(checkpointPath, prevCheckpointPath);
 * const start = (await cp.loadJson<number>()) ?? 0;
 * for (let i = start; i < n; i++) { work(i); await cp.saveJson(i + 1); }
 * ```
 */
export class Checkpoint implements Disposable, AsyncDisposable {
  /** Where `save` writes (this attempt). */
  readonly remoteDestination: string;
  /** Where `load` reads (the previous attempt); `undefined` when none was given. */
  readonly remoteSource?: string;

  readonly #workspace: Workspace;
  readonly #storage: CheckpointStorageOption | undefined;
  readonly #io: IoContext;
  readonly #signal: AbortSignal | undefined;
  readonly #followSymlinks: boolean;
  #destination: Located | undefined;
  #source: Located | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;
  #loaded: { result: string | undefined; info: CheckpointLoadInfo | undefined } | undefined;
  #disposed = false;

  /**
   * @param destination this attempt's checkpoint URI (`--checkpoint-path`).
   * @param source the previous attempt's (`--prev-checkpoint`); `""`, `'""'`, whitespace or an
   *   unsubstituted `{{...}}` mean none.
   */
  constructor(destination: string, source?: string, options: CheckpointOptions = {}) {
    const dest = typeof destination === "string" ? normalizeCheckpointUri(destination) : undefined;
    if (dest === undefined) {
      throw new CheckpointConfigurationError(
        String(destination),
        "a checkpoint needs a destination URI",
      );
    }
    const level = options.compressionLevel ?? 6;
    if (!Number.isInteger(level) || level < 0 || level > 9) {
      throw new CheckpointConfigurationError(
        dest,
        `compressionLevel must be an integer 0-9, got ${String(level)}`,
      );
    }
    const checksum = options.checksum ?? "crc32";
    if (checksum !== "crc32" && checksum !== "sha256") {
      throw new CheckpointConfigurationError(
        dest,
        `checksum must be "crc32" or "sha256", got ${JSON.stringify(checksum)}`,
      );
    }
    this.remoteDestination = dest;
    if (source !== undefined && source !== null && typeof source !== "string") {
      // An options object passed second is the likely slip: say where options go.
      throw new CheckpointConfigurationError(
        dest,
        `the source (second argument) must be the previous checkpoint's URI or undefined, got ${
          typeof source === "object" ? "an object (options go third)" : typeof source
        }`,
      );
    }
    const src = normalizeCheckpointUri(source);
    if (src !== undefined) this.remoteSource = src;
    this.#storage = options.storage;
    this.#signal = options.signal;
    this.#followSymlinks = options.followSymlinks === true;
    const warn =
      options.onWarning ?? ((message: string) => console.warn(`[@flyte/checkpoint] ${message}`));
    this.#io = {
      compressionLevel: level,
      checksum,
      limits: { ...defaultExtractionLimits, ...options.limits },
      attempt: options.attempt,
      warn,
    };
    this.#workspace = new Workspace(options.tmpDir ?? tmpdir());
  }

  /**
   * The local workspace directory `load` restores into. Reading it creates it (as Python's
   * `path` does); it is removed by `dispose()`, or at process exit.
   */
  get path(): string {
    if (this.#disposed) return this.#workspace.restoreDir(false);
    try {
      return this.#workspace.restoreDir(true);
    } catch (error) {
      throw toCheckpointError(error, this.remoteDestination, "create the local workspace of");
    }
  }

  /**
   * Resolves both storages and finishes loading any lazily loaded adapter (`LazyStorage`, which
   * `resolveStorage` returns for `s3://`, `abfs://`, ...), so that `loadSync`/`saveSync` work
   * from the first call. The async methods do not need it. Idempotent.
   */
  async prepare(): Promise<void> {
    for (const where of this.#candidates()) {
      const ready = (where.storage as { ready?: unknown }).ready;
      if (typeof ready !== "function") continue;
      try {
        await (ready as () => Promise<unknown>).call(where.storage);
      } catch (error) {
        throw toCheckpointError(error, where.uri, "prepare the storage of");
      }
    }
  }

  /** Whether a previous checkpoint URI was given (the URI only, as in Python; not a lookup). */
  prevExists(): boolean {
    return this.remoteSource !== undefined;
  }

  /** What the last successful `load` restored, for diagnostics; `undefined` before or when none. */
  get lastLoad(): CheckpointLoadInfo | undefined {
    return this.#loaded?.info;
  }

  /**
   * Restores the latest checkpoint: the destination's if this attempt already saved one (a
   * restart), else the source's. Resolves to the restored directory or `payload` file, or
   * `undefined` when there is none. The first result is kept: later calls return it at once.
   */
  load(options?: CheckpointCallOptions): Promise<string | undefined> {
    return this.#enqueue(async (signal) => {
      if (this.#loaded) return this.#loaded.result;
      const staging = this.#staging();
      try {
        for (const where of this.#candidates()) {
          const restored = await (
            await loadEngineAsync()
          ).restoreObject(where, staging, this.#io, signal);
          if (restored) return this.#publish(where, restored);
        }
        return this.#nothing();
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    }, options?.signal);
  }

  /** The blocking twin of {@link load}, through the storage's `SyncStorage`. */
  loadSync(): string | undefined {
    this.#checkSync("loadSync");
    if (this.#loaded) return this.#loaded.result;
    const staging = this.#staging();
    try {
      for (const where of this.#candidates()) {
        const restored = loadEngine().restoreObjectSync(where, staging, this.#io);
        if (restored) return this.#publish(where, restored);
      }
      return this.#nothing();
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }

  /**
   * Saves bytes, or the local file or directory at a path (a string is always a path, as in
   * Python), replacing this attempt's checkpoint atomically. Calls run in order; the last wins.
   * A save that fails (or is aborted) before its object landed leaves the previous checkpoint
   * loadable as it was.
   */
  save(data: Uint8Array | string, options?: CheckpointCallOptions): Promise<void> {
    try {
      checkSaveArgument(data);
    } catch (error) {
      return Promise.reject(error);
    }
    // Bytes are copied now: the caller may reuse its buffer before the queued save runs.
    const value = typeof data === "string" ? data : Uint8Array.prototype.slice.call(data);
    return this.#enqueue(
      async (signal) =>
        (await loadEngineAsync()).storeObject(this.#dest(), value, this.#io, {
          signal,
          followSymlinks: this.#followSymlinks,
        }),
      options?.signal,
    );
  }

  /** The blocking twin of {@link save}, through the storage's `SyncStorage`. */
  saveSync(data: Uint8Array | string): void {
    this.#checkSync("saveSync");
    checkSaveArgument(data);
    loadEngine().storeObjectSync(this.#dest(), data, this.#io, {
      signal: this.#signal,
      followSymlinks: this.#followSymlinks,
      tempFile: () => `${this.#tempPath("upload")}.tar.gz`,
    });
  }

  /** Restores the checkpoint's bytes; throws {@link CheckpointFormatError} if it is a directory. */
  async loadBytes(options?: CheckpointCallOptions): Promise<Uint8Array | undefined> {
    const path = await this.load(options);
    return path === undefined ? undefined : fs.promises.readFile(this.#payloadPath(path));
  }

  /** The blocking twin of {@link loadBytes}. */
  loadBytesSync(): Uint8Array | undefined {
    const path = this.loadSync();
    return path === undefined ? undefined : readFileSync(this.#payloadPath(path));
  }

  /** Restores a checkpoint saved as UTF-8 JSON (by {@link saveJson}, or bytes from Python). */
  async loadJson<T = unknown>(options?: CheckpointCallOptions): Promise<T | undefined> {
    return this.#parseJson<T>(await this.loadBytes(options));
  }

  /** The blocking twin of {@link loadJson}. */
  loadJsonSync<T = unknown>(): T | undefined {
    return this.#parseJson<T>(this.loadBytesSync());
  }

  /** Saves `value` as UTF-8 JSON bytes (Python reads them as `payload`). */
  saveJson(value: unknown, options?: CheckpointCallOptions): Promise<void> {
    let bytes: Uint8Array;
    try {
      bytes = this.#encodeJson(value);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.save(bytes, options);
  }

  /** The blocking twin of {@link saveJson}. */
  saveJsonSync(value: unknown): void {
    this.saveSync(this.#encodeJson(value));
  }

  /** Removes the workspace now. Later calls throw {@link CheckpointStateError}. Idempotent. */
  dispose(): void {
    this.#disposed = true;
    this.#workspace.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Waits for queued saves and loads to settle, then removes the workspace. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.#tail;
    this.dispose();
  }

  // ---- internals ----

  #enqueue<T>(
    fn: (signal: AbortSignal | undefined) => Promise<T>,
    callSignal: AbortSignal | undefined,
  ): Promise<T> {
    if (this.#disposed) return Promise.reject(this.#disposedError());
    const signal = combine(this.#signal, callSignal);
    if (signal?.aborted)
      return Promise.reject(new CheckpointAbortedError(this.remoteDestination, signal.reason));
    this.#pending++;
    const run = this.#tail.then(() => {
      if (this.#disposed) throw this.#disposedError();
      if (signal?.aborted) throw new CheckpointAbortedError(this.remoteDestination, signal.reason);
      return fn(signal);
    });
    const tracked = run.finally(() => {
      this.#pending--;
    });
    this.#tail = tracked.catch(() => undefined);
    return signal === undefined ? tracked : this.#abortable(tracked, signal);
  }

  /** `work`, or a rejection as soon as `signal` aborts (a call queued behind a slow save stops now). */
  #abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void =>
        reject(new CheckpointAbortedError(this.remoteDestination, signal.reason));
      signal.addEventListener("abort", onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  #checkSync(what: string): void {
    if (this.#disposed) throw this.#disposedError();
    if (this.#pending > 0) {
      // A blocking call cannot wait for the queue; running now would reorder saves.
      throw new CheckpointStateError(
        this.remoteDestination,
        `${what}() called while an async load()/save() is still running; await it first`,
      );
    }
    if (this.#signal?.aborted)
      throw new CheckpointAbortedError(this.remoteDestination, this.#signal.reason);
  }

  #disposedError(): CheckpointStateError {
    return new CheckpointStateError(this.remoteDestination, "the checkpoint was disposed");
  }

  #dest(): Located {
    return (this.#destination ??= locate(this.remoteDestination, this.#storage));
  }

  #candidates(): Located[] {
    const list = [this.#dest()];
    if (this.remoteSource !== undefined)
      list.push((this.#source ??= locate(this.remoteSource, this.#storage)));
    return list;
  }

  #tempPath(prefix: string): string {
    try {
      return this.#workspace.tempPath(prefix);
    } catch (error) {
      throw toCheckpointError(error, this.remoteDestination, "create the local workspace of");
    }
  }

  #staging(): string {
    const staging = this.#tempPath("staging");
    try {
      mkdirSync(staging);
    } catch (error) {
      throw toCheckpointError(error, this.remoteDestination, "create the local workspace of");
    }
    return staging;
  }

  #publish(where: Located, restored: Restored): string {
    const path = this.path;
    rmSync(path, { recursive: true, force: true });
    renameSync(restored.tree, path);
    const result = restored.format === "dir" ? path : join(path, PAYLOAD);
    this.#loaded = {
      result,
      info: { uri: where.uri, format: restored.format, verified: restored.verified, path: result },
    };
    return result;
  }

  #nothing(): undefined {
    if ((this.#io.attempt ?? 0) > 0) {
      this.#io.warn(
        `attempt ${this.#io.attempt} found no previous checkpoint` +
          (this.remoteSource ? ` at ${this.remoteSource}` : " (no source URI was given)") +
          "; starting from scratch",
      );
    }
    this.#loaded = { result: undefined, info: undefined };
    return undefined;
  }

  #payloadPath(path: string): string {
    if (basename(path) !== PAYLOAD || this.#loaded?.info?.format === "dir") {
      throw new CheckpointFormatError(
        this.#loaded?.info?.uri ?? this.remoteDestination,
        "the checkpoint holds a directory, not bytes",
      );
    }
    return path;
  }

  #parseJson<T>(bytes: Uint8Array | undefined): T | undefined {
    if (bytes === undefined) return undefined;
    try {
      return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as T;
    } catch (error) {
      throw new CheckpointFormatError(
        this.#loaded?.info?.uri ?? this.remoteDestination,
        `the checkpoint is not UTF-8 JSON: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  #encodeJson(value: unknown): Uint8Array {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (error) {
      throw new CheckpointInputError(
        this.remoteDestination,
        `saveJson() value cannot be serialized: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (text === undefined)
      throw new CheckpointInputError(
        this.remoteDestination,
        `saveJson() value ${String(value)} has no JSON form`,
      );
    return new TextEncoder().encode(text);
  }
}
