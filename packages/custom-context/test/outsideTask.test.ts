import { contextualRun, internalCtx } from "@flyte/context-core";
import {
  customContext,
  getCustomContext,
  mergeCustomContext,
  resolveRunCustomContext,
  runScopeCustomContext,
} from "@flyte/custom-context";
import { makeTaskContext, runRootTask, task } from "./support/taskHarness.js";

/** A runner's start of a run, as the SDK does it: resolve the base map synchronously, then run. */
function startRun<R>(body: () => Promise<R>, runLevel?: Record<string, string>): Promise<R> {
  const base = resolveRunCustomContext(runLevel);
  return contextualRun(() => internalCtx().replaceTaskContext(makeTaskContext(base)).run(body));
}

describe("a scope outside a task", () => {
  it("is not a silent no-op: it becomes the base custom context of a run started inside it", async () => {
    const child = task(async () => getCustomContext());
    const seen = await contextualRun(async () => {
      using _ = customContext({ team: "ml", stage: "dev" });
      return startRun(async () => ({ root: getCustomContext(), child: await child() }));
    });
    expect(seen).toEqual({
      root: { team: "ml", stage: "dev" },
      child: { team: "ml", stage: "dev" },
    });
  });

  it("getCustomContext() stays {} there; runScopeCustomContext() reads the scope", () => {
    contextualRun(() => {
      expect(runScopeCustomContext()).toEqual({});
      using _ = customContext({ a: "1" });
      expect(getCustomContext()).toEqual({});
      expect(runScopeCustomContext()).toEqual({ a: "1" });
      expect(Object.isFrozen(runScopeCustomContext())).toBe(true);
      {
        using _2 = customContext({ a: "2", b: "2" });
        expect(runScopeCustomContext()).toEqual({ a: "2", b: "2" });
      }
      expect(runScopeCustomContext()).toEqual({ a: "1" });
    });
    expect(runScopeCustomContext()).toEqual({});
  });

  it("the callback form works outside a task too, isolated", async () => {
    const r = await customContext({ a: "1" }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      return runScopeCustomContext();
    });
    expect(r).toEqual({ a: "1" });
    expect(runScopeCustomContext()).toEqual({});
  });

  it("a run captures the scope at its start, not at its end", async () => {
    const pending = contextualRun(() => {
      let p: Promise<Readonly<Record<string, string>>>;
      {
        using _ = customContext({ a: "1" });
        p = startRun(async () => {
          await new Promise((r) => setTimeout(r, 2));
          return getCustomContext();
        });
      }
      expect(runScopeCustomContext()).toEqual({});
      return p;
    });
    expect(await pending).toEqual({ a: "1" });
  });

  it("runs started side by side under different driver scopes keep their own", async () => {
    const one = (v: string) =>
      customContext({ v }, () =>
        startRun(async () => {
          await new Promise((r) => setTimeout(r, 1));
          return getCustomContext().v;
        }),
      );
    expect(await Promise.all([one("a"), one("b"), one("c")])).toEqual(["a", "b", "c"]);
  });

  it("inside a task, scopes go to the task, and runScopeCustomContext() is {}", async () => {
    await contextualRun(async () => {
      using _ = customContext({ driver: "1" });
      await startRun(async () => {
        // The driver scope is the task's inherited base now; reading it again would count it twice.
        expect(runScopeCustomContext()).toEqual({});
        using _in = customContext({ inTask: "1" });
        expect(getCustomContext()).toEqual({ driver: "1", inTask: "1" });
        expect(runScopeCustomContext()).toEqual({});
      });
    });
  });
});

describe("precedence: run-level < inherited from the parent task < scoped", () => {
  it("mergeCustomContext applies layers lowest first", () => {
    const merged = mergeCustomContext(
      { k: "run", runOnly: "r" },
      { k: "inherited", inheritedOnly: "i" },
      undefined,
      { k: "scoped", scopedOnly: "s" },
    );
    expect(merged).toEqual({ k: "scoped", runOnly: "r", inheritedOnly: "i", scopedOnly: "s" });
    expect(Object.isFrozen(merged)).toBe(true);
    expect(mergeCustomContext()).toEqual({});
  });

  it("outside a task: run-level values < driver scopes", async () => {
    const seen = await contextualRun(() => {
      using _ = customContext({ k: "scoped" });
      return startRun(async () => getCustomContext(), { k: "run", runOnly: "r" });
    });
    expect(seen).toEqual({ k: "scoped", runOnly: "r" });
  });

  it("a run started inside a task: run-level values < the task's context (with its scopes)", async () => {
    const seen = await runRootTask(
      async () => {
        using _ = customContext({ k: "scoped-in-parent" });
        return startRun(async () => getCustomContext(), {
          k: "run",
          inherited: "run",
          runOnly: "r",
        });
      },
      { inherited: "parent", k: "parent" },
    );
    expect(seen).toEqual({ k: "scoped-in-parent", inherited: "parent", runOnly: "r" });
  });

  it("run-level values are validated like a scope", () => {
    expect(() => resolveRunCustomContext({ _u_x: "1" })).toThrow(
      expect.objectContaining({ code: "RESERVED_KEY", key: "_u_x" }),
    );
  });
});
