import { AsyncLocalStorage, executionAsyncId } from "node:async_hooks";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storageSlot } from "./internal/ContextStorage.js";
import type { Frame } from "./internal/Frame.js";
import { stampedStorageFor } from "./internal/StampedAsyncStorage.js";

/**
 * Puts one AsyncLocalStorage in the process-wide slot, unless another copy of this package did
 * already. A synchronous fallback installed earlier (by the universal entry of any copy) is replaced
 * only while nothing runs in it.
 */
export function installNodeStorage(): void {
  const slot = storageSlot();
  const current = slot.storage;
  if (current === undefined || (slot.kind === "sync-stack" && current.getStore() === undefined)) {
    slot.storage = stampedStorageFor(
      new AsyncLocalStorage<Frame>(),
      executionAsyncId,
      process.env.FLYTE_CONTEXT_VERIFY === "1",
    );
    slot.kind = "async-local-storage";
  }
  slot.makeTempDir ??= (prefix) => mkdtempSync(join(tmpdir(), prefix));
  // Tells a tick or a macrotask apart from the run before it (internal/runClock.ts).
  slot.jobId ??= executionAsyncId;
}
