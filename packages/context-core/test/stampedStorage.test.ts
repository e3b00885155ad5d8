import { AsyncLocalStorage, AsyncResource, executionAsyncId } from "node:async_hooks";
import { EventEmitter } from "node:events";
import { readFile } from "node:fs";
import { ContextVar, contextualRun } from "@flyte/context-core";
import { Frame } from "../src/internal/Frame.js";
import { StampedAsyncStorage, stampedStorageFor } from "../src/internal/StampedAsyncStorage.js";
import { expectsContextFrame } from "./support/contextFrame.js";

/** The memo is exact only on the async-hooks AsyncLocalStorage (see storageKind.test.ts). */
const hooksBased = !expectsContextFrame();

/** A small seeded PRNG (mulberry32), so a failing schedule can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every way an execution can continue in another async resource (or in the same one). */
const hops: ReadonlyArray<(next: () => void) => void> = [
  (next) => void Promise.resolve().then(next),
  (next) => setTimeout(next, 0),
  (next) => setImmediate(next),
  (next) => process.nextTick(next),
  (next) => queueMicrotask(next),
  (next) => {
    const emitter = new EventEmitter();
    emitter.on("go", next);
    emitter.emit("go");
  },
  (next) => new AsyncResource("hop").runInAsyncScope(next),
  (next) => readFile(__filename, () => next()),
  (next) => void { then: (resolve: () => void) => resolve() }.then(next),
  (next) => next(),
];

describe("StampedAsyncStorage (the getStore() memo)", () => {
  it(
    hooksBased
      ? "agrees with AsyncLocalStorage.getStore() at every step of random interleavings"
      : "would disagree with AsyncLocalStorage.getStore() on AsyncContextFrame, which is why it is not installed there",
    async () => {
      const als = new AsyncLocalStorage<Frame>();
      const storage = new StampedAsyncStorage(als, executionAsyncId, false);
      let checks = 0;
      let disagreements = 0;
      const check = (expected: Frame | undefined): void => {
        // Read twice: the second read is a memo hit whenever nothing moved in between.
        const first = storage.getStore();
        const second = storage.getStore();
        if (first !== als.getStore() || second !== expected) disagreements++;
        checks++;
      };
      for (const seed of [1, 2, 3, 42, 696672788]) {
        const random = rng(seed);
        const workers = Array.from({ length: 40 }, (_, w) => {
          const own = new Frame(undefined, undefined, w, undefined);
          return new Promise<void>((done, fail) => {
            storage.run(own, () => {
              let steps = 0;
              const step = (): void => {
                try {
                  check(own);
                  if (steps++ === 12) return done();
                  const pick = Math.floor(random() * (hops.length + 2));
                  if (pick === hops.length) {
                    // A nested run and back, within the same async resource.
                    const inner = new Frame(own, undefined, -w, undefined);
                    storage.run(inner, () => check(inner));
                    check(own);
                    step();
                  } else if (pick === hops.length + 1) {
                    // enterWith inside a child resource must not leak to this one.
                    setImmediate(() => {
                      const entered = new Frame(own, undefined, 1000 + w, undefined);
                      storage.enterWith(entered);
                      check(entered);
                    });
                    check(own);
                    hops[0]!(step);
                  } else {
                    hops[pick]!(step);
                  }
                } catch (error) {
                  fail(error);
                }
              };
              step();
            });
          });
        });
        await Promise.all(workers);
      }
      expect(checks).toBeGreaterThan(5 * 40 * 12);
      // On AsyncContextFrame promise jobs share async id 0, so the memo goes stale across them.
      if (hooksBased) expect(disagreements).toBe(0);
      else expect(disagreements).toBeGreaterThan(0);
    },
  );

  it("sees enterWith and run in the same async resource (same async id) at once", () => {
    const als = new AsyncLocalStorage<Frame>();
    const storage = new StampedAsyncStorage(als, executionAsyncId, false);
    const a = new Frame(undefined, undefined, "a", undefined);
    const b = new Frame(undefined, undefined, "b", undefined);
    const id = executionAsyncId();
    storage.run(a, () => {
      expect(storage.getStore()).toBe(a);
      storage.run(b, () => expect(storage.getStore()).toBe(b));
      expect(executionAsyncId()).toBe(id);
      expect(storage.getStore()).toBe(a);
      storage.enterWith(b);
      expect(storage.getStore()).toBe(b);
    });
  });

  it("in verify mode, throws when the memo and the real store disagree", () => {
    const als = new AsyncLocalStorage<Frame>();
    const storage = new StampedAsyncStorage(als, executionAsyncId, true);
    const a = new Frame(undefined, undefined, "a", undefined);
    storage.run(a, () => {
      expect(storage.getStore()).toBe(a);
      // A change that bypasses the wrapper: exactly what the memo cannot see.
      als.enterWith(new Frame(undefined, undefined, "b", undefined));
      expect(() => storage.getStore()).toThrow(/memo disagrees/);
    });
  });

  it("without verify mode, a change that bypasses it is not seen (why every change goes through it)", () => {
    const als = new AsyncLocalStorage<Frame>();
    const storage = new StampedAsyncStorage(als, executionAsyncId, false);
    const a = new Frame(undefined, undefined, "a", undefined);
    storage.run(a, () => {
      expect(storage.getStore()).toBe(a);
      als.enterWith(new Frame(undefined, undefined, "b", undefined));
      expect(storage.getStore()).toBe(a);
    });
  });

  it("is not used for an AsyncLocalStorage of another implementation", () => {
    const foreign = { getStore: () => undefined, run: () => undefined, enterWith: () => undefined };
    expect(stampedStorageFor(foreign as never, executionAsyncId, false)).toBe(foreign);
    // This Node's own AsyncLocalStorage: wrapped on async hooks, left as it is on AsyncContextFrame.
    const own = new AsyncLocalStorage<Frame>();
    const installed = stampedStorageFor(own, executionAsyncId, false);
    expect(installed instanceof StampedAsyncStorage).toBe(hooksBased);
    if (!hooksBased) expect(installed).toBe(own);
  });

  it("keeps ContextVar values apart across 2,000 concurrent branches", async () => {
    const v = new ContextVar<number>("stamped.isolation");
    const seen = await Promise.all(
      Array.from({ length: 2000 }, (_, i) =>
        contextualRun(async () => {
          v.set(i);
          await new Promise<void>((r) => (i % 3 === 0 ? setImmediate(r) : queueMicrotask(r)));
          const first = v.get();
          await Promise.resolve();
          return first === i && v.get() === i;
        }),
      ),
    );
    expect(seen.every(Boolean)).toBe(true);
  });
});
