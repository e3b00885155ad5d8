import type { ContextStorage } from "./ContextStorage.js";
import type { Frame } from "./Frame.js";

/**
 * The fallback for runtimes without AsyncLocalStorage. It keeps a frame only for the synchronous
 * extent of `run()`; a frame entered outside any `run()` lasts until the current job ends (one
 * microtask). After an `await` it reports "no context" rather than a stale one: a missing
 * context is loud, someone else's context is a silent bug (AWS durable-execution does the same).
 */
export class SyncStackStorage implements ContextStorage {
  #current: Frame | undefined = undefined;
  #depth = 0;
  #clearScheduled = false;

  getStore(): Frame | undefined {
    return this.#current;
  }

  run<R>(frame: Frame, fn: () => R): R {
    const previous = this.#current;
    this.#current = frame;
    this.#depth++;
    try {
      return fn();
    } finally {
      this.#depth--;
      this.#current = previous;
    }
  }

  enterWith(frame: Frame): void {
    this.#current = frame;
    // Inside a run() the frame is dropped when run() returns. Outside, nothing would ever drop
    // it, so it ends with the current job: code after the next await sees no context.
    if (this.#depth === 0 && !this.#clearScheduled) {
      this.#clearScheduled = true;
      queueMicrotask(() => {
        this.#clearScheduled = false;
        if (this.#depth === 0) this.#current = undefined;
      });
    }
  }
}
