import { currentStorage } from "./contextStorage.js";
import { Frame } from "./internal/Frame.js";

/**
 * Runs `fn` in a fresh copy of the current context: it sees every variable as it is now, its
 * `set()`s never leak out, and branches started side by side (`Promise.all`) never see each
 * other's. Unlike Python's `contextual_run`, this holds for async functions too: the copy is
 * bound to everything `fn` starts, not just to the creation of a coroutine.
 */
export function contextualRun<R>(fn: () => R): R {
  const storage = currentStorage();
  return storage.run(new Frame(storage.getStore(), undefined, undefined, undefined), fn);
}

/** A snapshot of the context, as Python's `contextvars.copy_context()` returns. */
export interface ContextSnapshot {
  /**
   * Runs `fn` in a branch of the snapshot. As in Python, `set()`s made synchronously inside `fn`
   * stay in the snapshot and are seen by its next `run`; they never reach the caller.
   */
  run<R>(fn: () => R): R;
}

/**
 * Captures the current context; later changes to the caller's branch do not reach the snapshot,
 * and scopes in force now stay in it after they end (it is a branch made now).
 */
export function copyContext(): ContextSnapshot {
  const storage = currentStorage();
  let frame: Frame | undefined = new Frame(storage.getStore(), undefined, undefined, undefined);
  return {
    run<R>(fn: () => R): R {
      const marker = new Frame(frame, undefined, undefined, undefined);
      return storage.run(marker, () => {
        try {
          return fn();
        } finally {
          // Keep what fn set; a run that set nothing leaves the snapshot as it was.
          const top = storage.getStore();
          if (top !== marker) frame = top;
        }
      });
    },
  };
}
