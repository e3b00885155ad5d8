/**
 * What a `using` scope (ContextVar.enter) means when async helpers run side by side, and what work
 * started inside a scope sees after it ends (issue 14, item 7). The README's "Scopes and async
 * helpers" section states the rules these tests pin.
 */
import {
  ContextError,
  ContextVar,
  contextual,
  contextualRun,
  copyContext,
  gather,
} from "@flyte/context-core";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const v = new ContextVar<string>("scopes.v", { default: "outer" });
const tag = new ContextVar<string>("scopes.tag");

/** A helper that opens a scope before its first await, as `using` at the top of an async function does. */
async function helper(value: string, ms: number, seen: string[]): Promise<string> {
  using _ = v.enter(value);
  await sleep(ms);
  seen.push(`${value} sees ${v.get()}`);
  return v.get();
}

describe("concurrent async helpers that open a `using` scope", () => {
  it("gather() runs each branch in a context of its own: siblings never see each other's scope", async () => {
    const seen: string[] = [];
    const got = await contextualRun(() =>
      gather([() => helper("A", 20, seen), () => helper("B", 5, seen)] as const),
    );
    expect(got).toEqual(["A", "B"]);
    expect(seen.sort()).toEqual(["A sees A", "B sees B"]);
    expect(v.get()).toBe("outer");
  });

  it("gather() types its result as a tuple, turns a synchronous throw into that branch's rejection, and starts every branch", async () => {
    const started: number[] = [];
    const result = gather([
      () => {
        started.push(1);
        throw new Error("sync boom");
      },
      async () => {
        started.push(2);
        return 2;
      },
    ] as const);
    await expect(result).rejects.toThrow("sync boom");
    expect(started).toEqual([1, 2]);
    const typed: [number, string] = await gather([async () => 1, () => "x"] as const);
    expect(typed).toEqual([1, "x"]);
    expect(await gather(new Set([async () => 1, async () => 2]))).toEqual([1, 2]);
    expect(() => gather([() => 1, 2 as unknown as () => number])).toThrow(TypeError);
    expect(() => gather([() => 1, 2 as unknown as () => number])).toThrow(/branch 1/);
  });

  it("contextual(fn) makes every call of a helper a branch of its own, so plain Promise.all is safe", async () => {
    const seen: string[] = [];
    const isolated = contextual(helper);
    const got = await contextualRun(() =>
      Promise.all([isolated("A", 20, seen), isolated("B", 5, seen)]),
    );
    expect(got).toEqual(["A", "B"]);
    expect(seen.sort()).toEqual(["A sees A", "B sees B"]);
    const self = {
      k: 3,
      read(this: { k: number }, x: number) {
        return this.k + x;
      },
    };
    expect(contextual(self.read).call(self, 1)).toBe(4);
    expect(() => contextual(5 as unknown as () => void)).toThrow(TypeError);
  });

  it("plain Promise.all over such helpers is refused with SCOPE_SHARED, whichever finishes first", async () => {
    for (const [a, b] of [
      [20, 5],
      [5, 20],
    ] as const) {
      const seen: string[] = [];
      const both = contextualRun(() =>
        Promise.allSettled([helper("A", a, seen), helper("B", b, seen)]),
      );
      const settled = await both;
      const refused = settled.filter((s) => s.status === "rejected");
      expect(refused).toHaveLength(1);
      const reason = (refused[0] as PromiseRejectedResult).reason as ContextError;
      expect(reason).toBeInstanceOf(ContextError);
      expect(reason.code).toBe("SCOPE_SHARED");
      expect(reason.message).toMatch(/gather|contextual/);
    }
  });

  it("a scope entered after the helper's first await is its own (the helper runs in a job of its own by then)", async () => {
    async function late(value: string, ms: number): Promise<string> {
      await null;
      using _ = v.enter(value);
      await sleep(ms);
      return v.get();
    }
    const got = await contextualRun(() => Promise.all([late("A", 20), late("B", 5)]));
    expect(got).toEqual(["A", "B"]);
  });

  it("sequential `await helper()` calls inside an outer scope are fine, and nothing leaks to the caller", async () => {
    await contextualRun(async () => {
      using _outer = tag.enter("outer-scope");
      for (let i = 0; i < 3; i++) {
        expect(await helper(`h${i}`, 1, [])).toBe(`h${i}`);
        expect(v.get()).toBe("outer");
        expect(tag.get()).toBe("outer-scope");
      }
    });
  });

  it("a scope of the caller entered while a helper's scope is still open is refused too", async () => {
    const outcome = contextualRun(async () => {
      const pending = helper("A", 5, []);
      {
        using _ = tag.enter("caller"); // stacked on the helper's scope, which is still open
        await sleep(1);
      }
      return pending;
    });
    await expect(outcome).rejects.toMatchObject({ code: "SCOPE_SHARED" });
  });

  it("keeps the chain bounded over thousands of sequential helper calls", async () => {
    async function step(i: number): Promise<void> {
      using _ = v.enter(`s${i}`);
      await null;
    }
    await contextualRun(async () => {
      using _outer = tag.enter("outer");
      for (let i = 0; i < 3000; i++) await step(i);
      expect(v.get()).toBe("outer");
      expect(tag.get()).toBe("outer");
      expect(chainDepth()).toBeLessThan(10);
    });
  });
});

describe("work started inside a scope", () => {
  it("keeps the scope's values after a block without an await ends (timers, immediates, promises, un-awaited calls)", async () => {
    const seen: Record<string, string | undefined> = {};
    const done: Array<Promise<unknown>> = [];
    await contextualRun(async () => {
      {
        using _ = v.enter("scoped");
        done.push(new Promise<void>((r) => setTimeout(() => ((seen.timer = v.get()), r()), 5)));
        done.push(new Promise<void>((r) => setImmediate(() => ((seen.immediate = v.get()), r()))));
        done.push(Promise.resolve().then(() => (seen.then = v.get())));
        done.push(
          (async () => {
            await sleep(5);
            seen.unawaited = v.get();
          })(),
        );
      }
      expect(v.get()).toBe("outer");
      await Promise.all(done);
      expect(v.get()).toBe("outer");
    });
    expect(seen).toEqual({
      timer: "scoped",
      immediate: "scoped",
      then: "scoped",
      unawaited: "scoped",
    });
  });

  it("keeps them in branches started inside a scope that spans an await (contextualRun, run, copyContext, gather)", async () => {
    const seen: Record<string, string | undefined> = {};
    let pending: Array<Promise<unknown>> = [];
    await contextualRun(async () => {
      {
        using _ = v.enter("scoped");
        const snapshot = copyContext();
        pending = [
          contextualRun(async () => {
            await sleep(10);
            seen.contextualRun = v.get();
          }),
          tag.run("t", async () => {
            await sleep(10);
            seen.run = v.get();
          }),
          sleep(10).then(() => snapshot.run(() => (seen.copyContext = v.get()))),
          gather([
            async () => {
              await sleep(10);
              seen.gather = v.get();
            },
          ]),
        ];
        await sleep(1);
      }
      expect(v.get()).toBe("outer");
      await Promise.all(pending);
    });
    expect(seen).toEqual({
      contextualRun: "scoped",
      run: "scoped",
      copyContext: "scoped",
      gather: "scoped",
    });
  });

  it("a scope that spans an await is left everywhere when it ends: what captured it without a branch reads the values of before", async () => {
    let late: string | undefined;
    await contextualRun(async () => {
      let timer!: Promise<void>;
      {
        using _ = v.enter("scoped");
        timer = new Promise<void>((r) => setTimeout(() => ((late = v.get()), r()), 10));
        await sleep(1);
      }
      await timer;
    });
    expect(late).toBe("outer");
  });

  it("a helper's scope never reaches the caller after `await helper()`, even when the helper set it up before its first await", async () => {
    await contextualRun(async () => {
      expect(await helper("in-helper", 1, [])).toBe("in-helper");
      expect(v.get()).toBe("outer");
      await sleep(1);
      expect(v.get()).toBe("outer");
    });
  });
});

describe("what is not shared", () => {
  it("a tick, an immediate or a sync event handler started inside a scope may stack its own scopes on it", async () => {
    const { EventEmitter } = await import("node:events");
    const seen: string[] = [];
    await contextualRun(async () => {
      const outer = v.enter("outer-scope");
      const done = [
        new Promise<void>((r) =>
          process.nextTick(() => {
            using _ = tag.enter("tick");
            seen.push(`tick ${v.get()} ${tag.get()}`);
            r();
          }),
        ),
        new Promise<void>((r) =>
          setImmediate(() => {
            using _ = tag.enter("immediate");
            seen.push(`immediate ${v.get()} ${tag.get()}`);
            r();
          }),
        ),
      ];
      const emitter = new EventEmitter();
      emitter.on("go", () => {
        using _ = tag.enter("handler");
        seen.push(`handler ${v.get()} ${tag.get()}`);
      });
      emitter.emit("go");
      await Promise.all(done);
      outer.exit(); // no SCOPE_SHARED: none of them outlived the run that entered the scope
    });
    expect(seen.sort()).toEqual([
      "handler outer-scope handler",
      "immediate outer-scope immediate",
      "tick outer-scope tick",
    ]);
  });

  it("works the same under fake timers (which replace queueMicrotask and process.nextTick)", async () => {
    jest.useFakeTimers();
    try {
      await contextualRun(async () => {
        using _outer = tag.enter("outer");
        for (let i = 0; i < 3; i++) {
          async function h(): Promise<string> {
            using _ = v.enter(`h${i}`);
            await Promise.resolve();
            return v.get();
          }
          expect(await h()).toBe(`h${i}`);
          expect(v.get()).toBe("outer");
        }
        // (A fake timer runs its callback in the context of advanceTimersByTime's caller, so
        // what is checked here is an un-awaited async function started inside a block.)
        let late!: Promise<string>;
        {
          using _ = v.enter("block-scope");
          late = (async () => {
            await Promise.resolve();
            return v.get();
          })();
        }
        expect(v.get()).toBe("outer");
        expect(await late).toBe("block-scope");
      });
    } finally {
      jest.useRealTimers();
    }
  });

  it("nested scopes in one synchronous block, left in order, are fine however deep", () => {
    contextualRun(() => {
      const depth = 100;
      const enter = (i: number): number => {
        if (i === depth) return tag.get() === `t${depth - 1}` ? 1 : 0;
        using _ = tag.enter(`t${i}`);
        return enter(i + 1);
      };
      expect(enter(0)).toBe(1);
      expect(tag.get()).toBeUndefined();
    });
  });
});

/** How many frames the current context chain holds (through the process-wide slot). */
function chainDepth(): number {
  const slot = (globalThis as Record<symbol, { storage: { getStore(): unknown } }>)[
    Symbol.for("@flyte/context-core/storage@1")
  ]!;
  let n = 0;
  for (let f = slot.storage.getStore() as { parent?: unknown } | undefined; f; n++) {
    f = f.parent as { parent?: unknown } | undefined;
  }
  return n;
}
