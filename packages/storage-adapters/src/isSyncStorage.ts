import type { Storage, SyncStorage } from "./Storage.js";

const syncMethods = [
  "headSync",
  "getSync",
  "getToFileSync",
  "putSync",
  "putFileSync",
  "deleteSync",
] as const;

/** True when `storage` also offers the blocking twins of {@link SyncStorage}. */
export function isSyncStorage(storage: Storage): storage is Storage & SyncStorage {
  const record = storage as unknown as Record<string, unknown>;
  return syncMethods.every((name) => typeof record[name] === "function");
}
