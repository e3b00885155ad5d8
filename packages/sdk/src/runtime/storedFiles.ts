/**
 * Whole small files by URI — an action's inputs.pb / outputs.pb / error.pb, a cache entry — read
 * and written through the run's storage resolver, within the run's I/O limit. A missing file is
 * `undefined`, never an error; a write is one atomic put.
 */
import type { StorageResolver } from "@flyte/checkpoint";

import type { IoLimiter } from "./ioLimiter.js";

/** Reads and writes whole files of one run. */
export class StoredFiles {
  readonly #resolve: StorageResolver;
  readonly #io: IoLimiter;

  constructor(resolve: StorageResolver, io: IoLimiter) {
    this.#resolve = resolve;
    this.#io = io;
  }

  /** The file at `uri`, or `undefined` when there is none. */
  async read(uri: string, signal?: AbortSignal): Promise<Uint8Array | undefined> {
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

  /** Writes `bytes` to `uri` atomically, replacing what was there. */
  async write(
    uri: string,
    bytes: Uint8Array | string,
    signal?: AbortSignal,
    contentType = "application/x-protobuf",
  ): Promise<void> {
    const { storage, key } = this.#resolve(uri);
    await this.#io.run(() =>
      storage.put(key, bytes, { contentType, ...(signal !== undefined && { signal }) }),
    );
  }

  /** Whether an object is at `uri`. */
  async exists(uri: string): Promise<boolean> {
    const { storage, key } = this.#resolve(uri);
    return (await this.#io.run(() => storage.head(key))) !== null;
  }

  /** The names one level below the folder `uri` (its files and its sub-folders). */
  async children(uri: string, signal?: AbortSignal): Promise<string[]> {
    const { storage, key } = this.#resolve(uri);
    const prefix = key === "" || key.endsWith("/") ? key : `${key}/`;
    const names: string[] = [];
    for await (const entry of storage.list(prefix, { delimiter: "/" })) {
      signal?.throwIfAborted();
      names.push(
        ("prefix" in entry ? entry.prefix : entry.key).slice(prefix.length).replace(/\/$/, ""),
      );
    }
    return names;
  }
}
