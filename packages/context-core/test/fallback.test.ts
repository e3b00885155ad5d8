/**
 * The universal entry, on a runtime without AsyncLocalStorage: this test file loads only
 * src/index.ts (never the node entry), so the process-wide slot of this jest environment gets the
 * synchronous fallback.
 */
import { ContextVar, contextStorageKind, contextualRun, ctx, gather } from "../src/index.js";

describe("the synchronous fallback (non-node entry)", () => {
  it("is what the universal entry uses when nothing installed AsyncLocalStorage", () => {
    expect(contextStorageKind()).toBe("sync-stack");
  });

  it("keeps the value through the synchronous part of run()", () => {
    const v = new ContextVar<number>("v");
    expect(v.run(1, () => v.get())).toBe(1);
    expect(v.get()).toBeUndefined();
  });

  it("reports no context after an await, never a stale one", async () => {
    const v = new ContextVar<string>("v");
    const seen: (string | undefined)[] = [];
    const a = v.run("a", async () => {
      seen.push(v.get());
      await Promise.resolve();
      seen.push(v.get());
    });
    // Another branch runs while `a` is suspended; `a` must not see "b" when it resumes.
    const b = v.run("b", async () => {
      await Promise.resolve();
      seen.push(v.get());
    });
    await Promise.all([a, b]);
    expect(seen).toEqual(["a", undefined, undefined]);
  });

  it("drops a set() made outside any run() at the end of the current job", async () => {
    const v = new ContextVar<string>("v");
    v.set("top");
    expect(v.get()).toBe("top");
    await Promise.resolve();
    expect(v.get()).toBeUndefined();
  });

  it("isolates contextualRun branches and gives ctx() undefined", () => {
    const v = new ContextVar<number>("v");
    contextualRun(() => v.set(1));
    expect(v.get()).toBeUndefined();
    expect(ctx()).toBeUndefined();
  });

  it("keeps scopes (nested, left in order) and gather branches apart synchronously", async () => {
    const v = new ContextVar<string>("v", { default: "d" });
    contextualRun(() => {
      {
        using _ = v.enter("s");
        {
          using _2 = v.enter("t");
          expect(v.get()).toBe("t");
        }
        expect(v.get()).toBe("s");
      }
      expect(v.get()).toBe("d");
    });
    const seen = await gather([() => v.run("a", () => v.get()), () => v.run("b", () => v.get())]);
    expect(seen).toEqual(["a", "b"]);
  });
});
