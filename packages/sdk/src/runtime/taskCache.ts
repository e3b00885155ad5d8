/**
 * The task cache: outputs of finished actions by cache key (the Python SDK's formula), kept
 * across runs at `<location>/<task full name>/<key>/outputs.pb`. By default the location is
 * `<rawDataPath>/_cache` on the runs' own storage; `init({ cachePath })` or
 * `withRunContext({ cachePath })` move it. Writes are atomic puts, so a reader never sees part of
 * an entry, and two runs storing the same key store the same bytes.
 */
import type { StorageResolver } from "@flyte/checkpoint";

import { joinUri } from "../paths.js";
import { OUTPUTS_FILE } from "./actionStore.js";
import type { IoLimiter } from "./ioLimiter.js";

/** Reads and writes cache entries under one location. */
export class TaskCache {
  readonly location: string;
  readonly #resolve: StorageResolver;
  readonly #io: IoLimiter;

  constructor(location: string, resolve: StorageResolver, io: IoLimiter) {
    this.location = location;
    this.#resolve = resolve;
    this.#io = io;
  }

  /** Where the entry of `key` for task `fullName` lives. */
  entryUri(fullName: string, key: string): string {
    // The key is standard base64: '/' and '+' would make folders and odd names of it.
    return joinUri(
      this.location,
      fullName,
      key.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
      OUTPUTS_FILE,
    );
  }

  /** The stored outputs of `key`, or `undefined` on a miss. */
  async get(fullName: string, key: string, signal?: AbortSignal): Promise<Uint8Array | undefined> {
    const { storage, key: k } = this.#resolve(this.entryUri(fullName, key));
    try {
      return await this.#io.run(() =>
        storage.get(k, signal === undefined ? undefined : { signal }),
      );
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code === "NOT_FOUND") return undefined;
      throw error;
    }
  }

  /** Stores `outputs` under `key` (replacing an older entry of the same key). */
  async put(fullName: string, key: string, outputs: Uint8Array): Promise<void> {
    const { storage, key: k } = this.#resolve(this.entryUri(fullName, key));
    await this.#io.run(() => storage.put(k, outputs, { contentType: "application/x-protobuf" }));
  }
}
