import type { ContextStorage } from "./internal/ContextStorage.js";
import { storageSlot } from "./internal/ContextStorage.js";
import { SyncStackStorage } from "./internal/SyncStackStorage.js";

export type { ContextStorage } from "./internal/ContextStorage.js";

const slot = storageSlot();

/**
 * The storage every ContextVar reads. On Node the `node` entry installs one AsyncLocalStorage
 * before anything runs; elsewhere the synchronous fallback is used.
 */
export function currentStorage(): ContextStorage {
  return slot.storage ?? installFallback();
}

function installFallback(): ContextStorage {
  slot.storage = new SyncStackStorage();
  slot.kind = "sync-stack";
  return slot.storage;
}

/**
 * Which propagation mechanism is active: `"async-local-storage"` (Node) or `"sync-stack"` (the
 * fallback, which reports no context after an await).
 */
export function contextStorageKind(): "async-local-storage" | "sync-stack" {
  currentStorage();
  return slot.kind ?? "sync-stack";
}

/** @internal the slot, read directly by the hot paths */
export const internalSlot = slot;
