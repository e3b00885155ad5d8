/**
 * The task cache: outputs of finished actions by cache key (the Python SDK's formula), kept
 * across runs at `<location>/<task full name>/<key>/outputs.pb`. By default the location is
 * `<rawDataPath>/_cache` on the runs' own storage; `init({ cachePath })` or
 * `withRunContext({ cachePath })` move it. Writes are atomic puts, so a reader never sees part of
 * an entry, and two runs storing the same key store the same bytes.
 */
import { joinUri } from "../paths.js";
import { OUTPUTS_FILE } from "./actionStore.js";
import type { StoredFiles } from "./storedFiles.js";

/** Reads and writes cache entries under one location. */
export class TaskCache {
  readonly location: string;
  readonly #files: StoredFiles;

  constructor(location: string, files: StoredFiles) {
    this.location = location;
    this.#files = files;
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
  get(fullName: string, key: string, signal?: AbortSignal): Promise<Uint8Array | undefined> {
    return this.#files.read(this.entryUri(fullName, key), signal);
  }

  /** Stores `outputs` under `key` (replacing an older entry of the same key). */
  put(fullName: string, key: string, outputs: Uint8Array): Promise<void> {
    return this.#files.write(this.entryUri(fullName, key), outputs);
  }
}
