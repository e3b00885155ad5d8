import { AsyncLocalStorage } from "node:async_hooks";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ContextStorage } from "./internal/ContextStorage.js";
import { storageSlot } from "./internal/ContextStorage.js";

/**
 * Puts one AsyncLocalStorage in the process-wide slot, unless another copy of this package did
 * already. A synchronous fallback installed earlier (by the universal entry of any copy) is replaced
 * only while nothing runs in it.
 */
export function installNodeStorage(): void {
  const slot = storageSlot();
  const current = slot.storage;
  if (current === undefined || (slot.kind === "sync-stack" && current.getStore() === undefined)) {
    slot.storage = new AsyncLocalStorage() as unknown as ContextStorage;
    slot.kind = "async-local-storage";
  }
  slot.makeTempDir ??= (prefix) => mkdtempSync(join(tmpdir(), prefix));
}
