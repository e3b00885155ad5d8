import {
  ContextError,
  ContextVar,
  contextualRun,
  copyContext,
  contextStorageKind,
} from "@flyte/context-core";

const tick = () => new Promise<void>((r) => setTimeout(r, 1));

describe("ContextVar", () => {
  it("uses AsyncLocalStorage on Node", () => {
    expect(contextStorageKind()).toBe("async-local-storage");
  });

  describe(".get()", () => {
    it("returns the default where unset, undefined without one", () => {
      expect(new ContextVar("a", { default: 7 }).get()).toBe(7);
      expect(new ContextVar<number>("b").get()).toBeUndefined();
    });

    it("finds outer variables under many inner ones, and repeatedly", () => {
      const vars = Array.from({ length: 9 }, (_, i) => new ContextVar<number>(`v${i}`));
      const nest = (i: number, fn: () => void): void =>
        i === vars.length ? fn() : vars[i]!.run(i * 10, () => nest(i + 1, fn));
      nest(0, () => {
        for (let round = 0; round < 3; round++) {
          vars.forEach((v, i) => expect(v.get()).toBe(i * 10));
        }
      });
    });
  });

  describe(".run()", () => {
    it("is visible inside fn and everything it starts, never outside", async () => {
      const v = new ContextVar<string>("v", { default: "outer" });
      const seen: (string | undefined)[] = [];
      const p = v.run("inner", async () => {
        seen.push(v.get());
        await tick();
        seen.push(v.get());
        setImmediate(() => seen.push(v.get()));
        await new Promise((r) => setTimeout(r, 5));
      });
      expect(v.get()).toBe("outer");
      await p;
      expect(seen).toEqual(["inner", "inner", "inner"]);
      expect(v.get()).toBe("outer");
    });

    it("restores the outer value when fn throws", () => {
      const v = new ContextVar<number>("v", { default: 0 });
      expect(() =>
        v.run(1, () => {
          throw new Error("boom");
        }),
      ).toThrow("boom");
      expect(v.get()).toBe(0);
    });

    it("keeps set() calls made inside fn inside", () => {
      const a = new ContextVar<number>("a", { default: 0 });
      const b = new ContextVar<number>("b", { default: 0 });
      a.run(1, () => {
        b.set(2);
        expect(b.get()).toBe(2);
      });
      expect(b.get()).toBe(0);
    });
  });

  describe(".set() / .reset()", () => {
    it("sets for the rest of the branch and reset restores the previous value", () => {
      const v = new ContextVar<number>("v", { default: -1 });
      contextualRun(() => {
        const t1 = v.set(1);
        const t2 = v.set(2);
        expect(v.get()).toBe(2);
        v.reset(t2);
        expect(v.get()).toBe(1);
        v.reset(t1);
        expect(v.get()).toBe(-1);
        expect(v.has()).toBe(false);
      });
    });

    it("restores an explicit undefined value as a value, not as unset", () => {
      const v = new ContextVar<number | undefined>("v", { default: 5 });
      contextualRun(() => {
        v.set(undefined);
        const t = v.set(3);
        v.reset(t);
        expect(v.has()).toBe(true);
        expect(v.get()).toBeUndefined();
      });
    });

    it("refuses a token used twice", () => {
      const v = new ContextVar<number>("v");
      contextualRun(() => {
        const t = v.set(1);
        v.reset(t);
        expect(() => v.reset(t)).toThrow(expect.objectContaining({ code: "TOKEN_ALREADY_USED" }));
      });
    });

    it("refuses a token of another variable", () => {
      const v = new ContextVar<number>("v");
      const w = new ContextVar<number>("w");
      contextualRun(() => {
        const t = v.set(1);
        expect(() => w.reset(t)).toThrow(ContextError);
        expect(() => w.reset(t)).toThrow(/created by v, not by ContextVar\(w\)/);
        expect(v.get()).toBe(1);
      });
    });

    it("refuses a token from another branch, and leaves the value alone", () => {
      const v = new ContextVar<number>("v", { default: 0 });
      contextualRun(() => {
        const t = v.set(1);
        contextualRun(() => {
          expect(() => v.reset(t)).toThrow(expect.objectContaining({ code: "TOKEN_WRONG_BRANCH" }));
          expect(v.get()).toBe(1);
        });
      });
    });

    it("keeps lookups right and memory bounded over thousands of sets in one branch", () => {
      const v = new ContextVar<number>("v");
      const other = new ContextVar<string>("other");
      other.run("x", () => {
        contextualRun(() => {
          for (let i = 0; i < 5000; i++) v.set(i);
          expect(v.get()).toBe(4999);
          expect(other.get()).toBe("x");
        });
      });
    });
  });
});

describe("contextualRun", () => {
  it("never lets a set() leak to the caller, sync or async", async () => {
    const v = new ContextVar<string>("v", { default: "caller" });
    contextualRun(() => v.set("sync"));
    expect(v.get()).toBe("caller");
    await contextualRun(async () => {
      v.set("before-await");
      await tick();
      v.set("after-await");
    });
    expect(v.get()).toBe("caller");
  });

  it("isolates sibling branches under Promise.all, timers, setImmediate, queueMicrotask and thenables", async () => {
    const v = new ContextVar<number>("v");
    const branch = (id: number) =>
      contextualRun(async () => {
        v.set(id);
        const seen: number[] = [];
        await tick();
        seen.push(v.get()!);
        await new Promise<void>((r) => setImmediate(() => (seen.push(v.get()!), r())));
        await new Promise<void>((r) => queueMicrotask(() => (seen.push(v.get()!), r())));
        await new Promise<void>((r) => setTimeout(() => (seen.push(v.get()!), r()), id % 3));
        const thenable = { then: (resolve: (x: number) => void) => resolve(v.get()!) };
        seen.push(await thenable);
        const nested = async () => {
          await tick();
          return v.get()!;
        };
        seen.push(await nested());
        v.set(id + 1000);
        await tick();
        seen.push(v.get()! - 1000);
        return seen;
      });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => branch(i)));
    results.forEach((seen, i) => expect(seen).toEqual(Array(seen.length).fill(i)));
    expect(v.get()).toBeUndefined();
  });

  it("gives a nested async function the branch it was called in", async () => {
    const v = new ContextVar<string>("v");
    const inner = async () => {
      await tick();
      return v.get();
    };
    const [a, b] = await Promise.all([v.run("a", inner), v.run("b", inner)]);
    expect([a, b]).toEqual(["a", "b"]);
  });
});

describe("copyContext", () => {
  it("runs in a snapshot that later changes do not reach, and keeps its own sets", () => {
    const v = new ContextVar<number>("v", { default: 0 });
    contextualRun(() => {
      v.set(1);
      const snap = copyContext();
      v.set(2);
      expect(snap.run(() => v.get())).toBe(1);
      snap.run(() => v.set(3));
      expect(snap.run(() => v.get())).toBe(3);
      expect(v.get()).toBe(2);
    });
  });
});

describe("ContextVar.enter() (scopes)", () => {
  const tick = () => new Promise<void>((r) => setTimeout(r, 1));

  it("sets the value until the scope is left, then restores it", () => {
    const v = new ContextVar<string>("v", { default: "outer" });
    contextualRun(() => {
      {
        using _a = v.enter("a");
        expect(v.get()).toBe("a");
        {
          using _b = v.enter("b");
          expect(v.get()).toBe("b");
        }
        expect(v.get()).toBe("a");
      }
      expect(v.get()).toBe("outer");
    });
  });

  it("does not leak into the caller of an async helper that entered a scope and awaited", async () => {
    const v = new ContextVar<string>("v", { default: "outer" });
    const w = new ContextVar<number>("w", { default: 0 });
    async function helper(): Promise<string | undefined> {
      using _ = v.enter("helper");
      await tick();
      return v.get();
    }
    await contextualRun(async () => {
      const sawInside = await helper();
      expect(sawInside).toBe("helper");
      // AsyncLocalStorage alone would still show "helper" here (nodejs/node#45848).
      expect(v.get()).toBe("outer");
      expect(w.get()).toBe(0);
      await tick();
      expect(v.get()).toBe("outer");
    });
  });

  it("keeps set()s of other variables made inside the scope after it is left", () => {
    const v = new ContextVar<string>("v", { default: "outer" });
    const w = new ContextVar<number>("w", { default: 0 });
    contextualRun(() => {
      const scope = v.enter("in");
      w.set(5);
      scope.exit();
      scope.exit();
      expect(v.get()).toBe("outer");
      expect(w.get()).toBe(5);
    });
  });

  it("refreshes lookups memoised through a scope that has since been left everywhere", async () => {
    const v = new ContextVar<string>("v", { default: "outer" });
    const inner = new ContextVar<number>("inner");
    await contextualRun(async () => {
      const scope = v.enter("scoped");
      // A frame of this line on top of the scope, and a continuation that captured it and
      // memoised v through it while the scope was open.
      inner.set(1);
      const later = (async () => {
        expect(v.get()).toBe("scoped");
        await tick();
        await tick();
        return v.get();
      })();
      await tick();
      scope.exit(); // spanned an await: left everywhere, the memo is stale
      expect(v.get()).toBe("outer");
      expect(inner.get()).toBe(1);
      expect(await later).toBe("outer");
    });
  });

  it("keeps the scope in a branch made inside it, after it is left everywhere", async () => {
    const v = new ContextVar<string>("v", { default: "outer" });
    const inner = new ContextVar<number>("inner");
    await contextualRun(async () => {
      const scope = v.enter("scoped");
      const later = inner.run(1, async () => {
        expect(v.get()).toBe("scoped");
        await tick();
        await tick();
        return v.get();
      });
      await tick();
      scope.exit();
      expect(v.get()).toBe("outer");
      expect(await later).toBe("scoped");
    });
  });

  it("survives compaction of many set()s made inside a scope", () => {
    const v = new ContextVar<string>("v", { default: "outer" });
    const n = new ContextVar<number>("n");
    contextualRun(() => {
      const scope = v.enter("scoped");
      for (let i = 0; i < 500; i++) n.set(i);
      expect(v.get()).toBe("scoped");
      scope.exit();
      expect(v.get()).toBe("outer");
      expect(n.get()).toBe(499);
    });
  });
});
