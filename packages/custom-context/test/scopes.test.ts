import { CheckpointPaths, contextualRun, ctx, internalCtx } from "@flyte/context-core";
import type { CheckpointLike } from "@flyte/context-core";
import { customContext, getCustomContext } from "@flyte/custom-context";
import { makeTaskContext, runRootTask, task } from "./support/taskHarness.js";

describe("nesting and restore (using form)", () => {
  it("merges three levels, inner keys winning, and restores each level on exit", async () => {
    await runRootTask(
      async () => {
        expect(getCustomContext()).toEqual({ base: "b" });
        {
          using _1 = customContext({ a: "1", shared: "outer" });
          expect(getCustomContext()).toEqual({ base: "b", a: "1", shared: "outer" });
          {
            using _2 = customContext({ b: "2", shared: "middle" });
            expect(getCustomContext()).toEqual({ base: "b", a: "1", b: "2", shared: "middle" });
            {
              using _3 = customContext({ shared: "inner", base: "overridden" });
              await new Promise((r) => setTimeout(r, 1));
              expect(getCustomContext()).toEqual({
                base: "overridden",
                a: "1",
                b: "2",
                shared: "inner",
              });
            }
            expect(getCustomContext()).toEqual({ base: "b", a: "1", b: "2", shared: "middle" });
          }
          expect(getCustomContext()).toEqual({ base: "b", a: "1", shared: "outer" });
        }
        expect(getCustomContext()).toEqual({ base: "b" });
      },
      { base: "b" },
    );
  });

  it("restores when the block throws", async () => {
    await runRootTask(async () => {
      expect(() => {
        using _ = customContext({ a: "1" });
        throw new Error("boom");
      }).toThrow("boom");
      expect(getCustomContext()).toEqual({});
    });
  });

  it("nests to any depth", async () => {
    await runRootTask(async () => {
      const depth = 200;
      const enter = (i: number): number => {
        if (i === depth) return Object.keys(getCustomContext()).length;
        using _ = customContext({ [`k${i % 50}`]: String(i) });
        return enter(i + 1);
      };
      expect(enter(0)).toBe(50);
      expect(getCustomContext()).toEqual({});
    });
  });

  it("makes ctx().customContext the merged map, keeping the rest of the task context", async () => {
    await runRootTask(async () => {
      const before = ctx()!;
      {
        using scope = customContext({ a: "1" });
        const inside = ctx()!;
        expect(inside).not.toBe(before);
        expect(inside.customContext).toEqual({ a: "1" });
        expect(scope.values).toBe(inside.customContext);
        expect(inside.action).toBe(before.action);
        expect(inside.attemptNumber).toBe(before.attemptNumber);
        expect(inside.rawDataPath).toBe(before.rawDataPath);
      }
      expect(ctx()).toBe(before);
    });
  });

  it("keeps the task's checkpoint: a scope's copy shares it", async () => {
    let built = 0;
    const checkpoint = { path: "/tmp/ck" } as unknown as CheckpointLike;
    const t = makeTaskContext(
      {},
      {
        checkpointPaths: new CheckpointPaths({ checkpointPath: "s3://b/ck" }),
        checkpointFactory: () => {
          built++;
          return checkpoint;
        },
      },
    );
    await internalCtx()
      .replaceTaskContext(t)
      .run(async () => {
        expect(ctx()!.checkpoint).toBe(checkpoint);
        using _ = customContext({ a: "1" });
        expect(ctx()!.checkpoint).toBe(checkpoint);
      });
    expect(built).toBe(1);
  });

  it("a scope's exit is idempotent", async () => {
    await runRootTask(async () => {
      const scope = customContext({ a: "1" });
      scope.exit();
      scope[Symbol.dispose]();
      expect(getCustomContext()).toEqual({});
    });
  });
});

describe("the callback form", () => {
  it("runs fn with the values and returns its result", async () => {
    await runRootTask(async () => {
      const r = customContext({ a: "1" }, () => getCustomContext().a);
      expect(r).toBe("1");
      expect(getCustomContext()).toEqual({});
    });
  });

  it("keeps the values across awaits inside fn, and nothing leaks out", async () => {
    await runRootTask(async () => {
      const p = customContext({ a: "1" }, async () => {
        await new Promise((r) => setTimeout(r, 1));
        // A using scope left open inside the branch stays inside it.
        customContext({ leaked: "no" });
        return getCustomContext();
      });
      expect(getCustomContext()).toEqual({});
      expect(await p).toEqual({ a: "1", leaked: "no" });
      expect(getCustomContext()).toEqual({});
    });
  });

  it("nests with the using form", async () => {
    await runRootTask(async () => {
      using _ = customContext({ a: "1", b: "1" });
      const inner = await customContext({ b: "2" }, async () => {
        using _in = customContext({ c: "3" });
        return getCustomContext();
      });
      expect(inner).toEqual({ a: "1", b: "2", c: "3" });
      expect(getCustomContext()).toEqual({ a: "1", b: "1" });
    });
  });
});

describe("getCustomContext()", () => {
  it("is {} outside a task, frozen", () => {
    const c = getCustomContext();
    expect(c).toEqual({});
    expect(Object.isFrozen(c)).toBe(true);
  });

  it("returns a frozen map that later scopes never change", async () => {
    await runRootTask(async () => {
      using _ = customContext({ a: "1" });
      const seen = getCustomContext();
      expect(Object.isFrozen(seen)).toBe(true);
      expect(() => {
        (seen as Record<string, string>).a = "changed";
      }).toThrow(TypeError);
      {
        using _2 = customContext({ a: "2", b: "2" });
      }
      expect(seen).toEqual({ a: "1" });
    });
  });

  it("never aliases the caller's object", async () => {
    await runRootTask(async () => {
      const mine: Record<string, string> = { a: "1" };
      using _ = customContext(mine);
      mine.a = "changed";
      mine.b = "added";
      expect(getCustomContext()).toEqual({ a: "1" });
    });
  });
});

describe("snapshot at call", () => {
  it("a child keeps the values in force at its call even if the scope ended before it ran", async () => {
    const child = task(
      async () => getCustomContext(),
      () => 3,
    );
    const seen = await runRootTask(async () => {
      let pending: Promise<Readonly<Record<string, string>>>;
      {
        using _ = customContext({ a: "1" });
        pending = child();
      }
      expect(getCustomContext()).toEqual({});
      return pending;
    });
    expect(seen).toEqual({ a: "1" });
  });

  it("a grandchild inherits what its parent had plus the parent's own scopes", async () => {
    const grandchild = task(async () => getCustomContext());
    const child = task(async () => {
      using _ = customContext({ level: "child" });
      return grandchild();
    });
    const seen = await runRootTask(async () => {
      using _ = customContext({ level: "root", root: "yes" });
      return child();
    });
    expect(seen).toEqual({ level: "child", root: "yes" });
  });

  it("a scope set inside a child never reaches the parent", async () => {
    const child = task(async () => {
      customContext({ childOnly: "x" });
      return getCustomContext();
    });
    await runRootTask(async () => {
      expect(await child()).toEqual({ childOnly: "x" });
      expect(getCustomContext()).toEqual({});
    });
  });

  it("contextualRun branches started side by side keep their own scopes", async () => {
    await runRootTask(async () => {
      const branch = (v: string) =>
        contextualRun(async () => {
          using _ = customContext({ v });
          await new Promise((r) => setTimeout(r, 1));
          return getCustomContext().v;
        });
      expect(await Promise.all([branch("x"), branch("y")])).toEqual(["x", "y"]);
      expect(getCustomContext()).toEqual({});
    });
  });
});

describe("re-entering a scope", () => {
  it("with the same values over the same base gives the same map, and is checked again each time", async () => {
    const { configureCustomContextLimits } = await import("@flyte/custom-context");
    await runRootTask(async () => {
      const seen: Array<Readonly<Record<string, string>>> = [];
      for (let i = 0; i < 3; i++) {
        using _ = customContext({ a: "1", b: "2" });
        seen.push(getCustomContext());
      }
      expect(seen).toEqual([
        { a: "1", b: "2" },
        { a: "1", b: "2" },
        { a: "1", b: "2" },
      ]);
      const previous = configureCustomContextLimits({ maxEntries: 1 });
      try {
        expect(() => customContext({ a: "1", b: "2" })).toThrow(
          expect.objectContaining({ code: "TOO_MANY_ENTRIES", key: "b" }),
        );
      } finally {
        configureCustomContextLimits(previous);
      }
      // The same values over another base merge with that base.
      using _o = customContext({ c: "3" });
      using _2 = customContext({ a: "1", b: "2" });
      expect(getCustomContext()).toEqual({ c: "3", a: "1", b: "2" });
    });
  });
});
