import type { FileStorage, Storage } from "./Storage.js";

/**
 * True when `storage` offers the local-file copies of {@link FileStorage} (`putFile`,
 * `getToFile`); callers stream through `putStream`/`getStream` otherwise.
 */
export function isFileStorage(storage: Storage): storage is Storage & FileStorage {
  const record = storage as unknown as Record<string, unknown>;
  return typeof record["putFile"] === "function" && typeof record["getToFile"] === "function";
}
