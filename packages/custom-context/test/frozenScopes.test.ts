import {
  CustomContextError,
  configureCustomContextLimits,
  customContext,
  getCustomContext,
} from "@flyte/custom-context";
import { ctx } from "@flyte/context-core";
import { runRootTask, task } from "./support/taskHarness.js";

const refusal = (fn: () => unknown): CustomContextError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof CustomContextError) return error;
    throw error;
  }
  throw new Error("expected a CustomContextError");
};

describe("scopes entered with a frozen values object (checked once, then remembered)", () => {
  afterEach(() => {
    configureCustomContextLimits({ maxEntries: 64, maxBytes: 8192 });
  });

  it("gives the same values as a plain object, on every entry, in both forms", async () => {
    const TAGS = Object.freeze({ team: "ml", shared: "inner" });
    await runRootTask(
      async () => {
        for (let i = 0; i < 5; i++) {
          using _ = customContext(TAGS);
          expect(getCustomContext()).toEqual({ base: "b", shared: "inner", team: "ml" });
          expect(customContext(TAGS, () => getCustomContext())).toEqual(getCustomContext());
        }
        expect(getCustomContext()).toEqual({ base: "b", shared: "outer" });
      },
      { base: "b", shared: "outer" },
    );
  });

  it("merges over whatever base is current: the same constant in two tasks and nested", async () => {
    const TAGS = Object.freeze({ k: "v" });
    const seen = await Promise.all(
      ["one", "two"].map((name) =>
        runRootTask(
          async () => {
            const outer = customContext(TAGS, () => getCustomContext());
            using _ = customContext({ extra: name });
            const inner = customContext(TAGS, () => getCustomContext());
            return [outer, inner];
          },
          { who: name },
        ),
      ),
    );
    expect(seen).toEqual([
      [
        { who: "one", k: "v" },
        { who: "one", extra: "one", k: "v" },
      ],
      [
        { who: "two", k: "v" },
        { who: "two", extra: "two", k: "v" },
      ],
    ]);
  });

  it("gives each entry a branch of its own: children snapshot their own scope", async () => {
    const A = Object.freeze({ which: "a" });
    const B = Object.freeze({ which: "b" });
    const child = task(async () => getCustomContext().which);
    const got = await runRootTask(async () =>
      Promise.all(
        Array.from({ length: 50 }, (_, i) => customContext(i % 2 ? B : A, () => child())),
      ),
    );
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => (i % 2 ? "b" : "a")));
  });

  it("refuses a bad frozen object every time, with the same typed error", async () => {
    const BAD = Object.freeze({ _u_reserved: "x" });
    await runRootTask(async () => {
      expect(refusal(() => customContext(BAD)).code).toBe("RESERVED_KEY");
      expect(refusal(() => customContext(BAD)).code).toBe("RESERVED_KEY");
      expect(getCustomContext()).toEqual({});
    });
  });

  it("checks the limits again when they change after a scope was remembered", async () => {
    const BIG = Object.freeze({ a: "1", b: "2", c: "3" });
    await runRootTask(async () => {
      customContext(BIG, () => undefined);
      customContext(BIG, () => undefined);
      configureCustomContextLimits({ maxEntries: 2 });
      expect(refusal(() => customContext(BIG, () => undefined)).code).toBe("TOO_MANY_ENTRIES");
    });
  });

  it("never remembers a frozen object with a getter: each entry reads it again", async () => {
    let n = 0;
    const COUNTER = Object.freeze({
      get count(): string {
        n++;
        return String(n);
      },
    });
    await runRootTask(async () => {
      expect(customContext(COUNTER, () => getCustomContext().count)).toBe("1");
      expect(customContext(COUNTER, () => getCustomContext().count)).toBe("2");
    });
  });

  it("keeps one task context per remembered scope, sharing the attempt's checkpoint cell", async () => {
    const TAGS = Object.freeze({ k: "v" });
    await runRootTask(async () => {
      const first = customContext(TAGS, () => ctx());
      const again = customContext(TAGS, () => ctx());
      expect(again).toBe(first);
      expect(first!.customContext).toEqual({ k: "v" });
    });
  });
});

describe("the limits bound (every key counted as new) never refuses what fits exactly", () => {
  afterEach(() => {
    configureCustomContextLimits({ maxEntries: 64, maxBytes: 8192 });
  });

  it("allows 200 nested overrides of one key under a 40-byte limit", async () => {
    configureCustomContextLimits({ maxBytes: 40, maxEntries: 3 });
    await runRootTask(
      async () => {
        const nest = (depth: number): string => {
          if (depth === 200) return getCustomContext().key!;
          using _ = customContext({ key: `v${depth % 10}` });
          return nest(depth + 1);
        };
        expect(nest(0)).toBe("v9");
        expect(getCustomContext()).toEqual({ base: "b", key: "start" });
      },
      { base: "b", key: "start" },
    );
  });

  it("still names the key that goes over, once the exact size is over", async () => {
    configureCustomContextLimits({ maxBytes: 40 });
    await runRootTask(async () => {
      using _ = customContext({ key: "x".repeat(30) }); // 33 bytes
      using _2 = customContext({ key: "y".repeat(30) }); // an override: still 33
      const error = refusal(() => customContext({ more: "zzzz" })); // 33 + 8 = 41
      expect(error.code).toBe("TOO_LARGE");
      expect(error.key).toBe("more");
      expect(getCustomContext().key).toBe("y".repeat(30));
    });
  });
});
