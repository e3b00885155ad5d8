import type { ContextStorage } from "./ContextStorage.js";
import type { Frame } from "./Frame.js";

/**
 * The AsyncLocalStorage, with a one-entry memo of `getStore()` that makes repeated reads in one
 * execution cost a number comparison instead of an async-resource lookup (`getStore()` of Node's
 * async-hooks ALS walks to the current resource and reads a symbol-keyed property: ~12 ns, about
 * ten times a property read).
 *
 * Why the memo is exact. With the async-hooks implementation of ALS (Node ≤ 22 by default), the
 * store `getStore()` returns is a property of the current async resource, and every resource has
 * an async id of its own that is never reused: `executionAsyncId()` (one typed-array read) names
 * the resource whose store would be read. A resource's store changes only through `run` and
 * `enterWith` of this storage, and both go through this class, which bumps `switches` on each
 * change (and again when `run` puts the previous store back). So while neither the execution's
 * async id nor `switches` has moved since the memo was made, `getStore()` would return the
 * memoized frame. `run` and `enterWith` know the store they install, so they set the memo to it
 * themselves: the first read after them is a hit as well.
 *
 * Used only where that holds: {@link stampedStorageFor} returns the plain ALS for any other
 * implementation (the AsyncContextFrame one of Node 24 does not track async ids for promises).
 * `FLYTE_CONTEXT_VERIFY=1` checks every memo hit against the real `getStore()` and throws on a
 * difference: every test suite of this repository runs with it on.
 */
export class StampedAsyncStorage implements ContextStorage {
  /** Bumped before and after every change of any resource's store. */
  #switches = 0;
  #memoId = -1;
  #memoSwitches = -1;
  #memoFrame: Frame | undefined = undefined;
  readonly #als: ContextStorage;
  /** `executionAsyncId` of node:async_hooks, passed in: only the Node entry imports node: modules. */
  readonly #asyncId: () => number;
  readonly #verify: boolean;

  constructor(als: ContextStorage, asyncId: () => number, verify: boolean) {
    this.#als = als;
    this.#asyncId = asyncId;
    this.#verify = verify;
  }

  /** Whether every memo hit is checked against the real store (`FLYTE_CONTEXT_VERIFY=1`). */
  get verifying(): boolean {
    return this.#verify;
  }

  getStore(): Frame | undefined {
    const id = this.#asyncId();
    if (id === this.#memoId && this.#switches === this.#memoSwitches) {
      if (this.#verify) this.#check();
      return this.#memoFrame;
    }
    const frame = this.#als.getStore();
    this.#memoId = id;
    this.#memoSwitches = this.#switches;
    this.#memoFrame = frame;
    return frame;
  }

  run<R>(frame: Frame, fn: () => R): R {
    // Inside `fn`, in this same execution, the store is `frame`: the memo says so up front, so
    // the first read in `fn` is a hit too.
    this.#memoId = this.#asyncId();
    this.#memoSwitches = ++this.#switches;
    this.#memoFrame = frame;
    try {
      return this.#als.run(frame, fn);
    } finally {
      // The ALS put the previous store back: memos made inside `fn` are stale.
      this.#switches++;
    }
  }

  enterWith(frame: Frame): void {
    this.#switches++;
    this.#als.enterWith(frame);
    this.#memoId = this.#asyncId();
    this.#memoSwitches = this.#switches;
    this.#memoFrame = frame;
  }

  #check(): void {
    const real = this.#als.getStore();
    if (real !== this.#memoFrame) {
      throw new Error(
        "@flyte/context-core: the getStore() memo disagrees with AsyncLocalStorage " +
          `(async id ${this.#memoId}); please report this with FLYTE_CONTEXT_VERIFY=1 output`,
      );
    }
  }
}

/**
 * The storage to install for `als`: the memoizing wrapper when `als` is the async-hooks
 * implementation (its stores live on async resources that `executionAsyncId()` names), else `als`
 * itself.
 */
export function stampedStorageFor(
  als: ContextStorage,
  asyncId: () => number,
  verify: boolean,
): ContextStorage {
  // The async-hooks implementation keeps its per-instance resource key here (Node 14–22); the
  // AsyncContextFrame implementation (default from Node 24) has no such field.
  const hooksBased =
    typeof (als as unknown as { kResourceStore?: unknown }).kResourceStore === "symbol";
  return hooksBased ? new StampedAsyncStorage(als, asyncId, verify) : als;
}
