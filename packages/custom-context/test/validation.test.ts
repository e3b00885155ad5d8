import { ctx } from "@flyte/context-core";
import {
  CustomContextError,
  configureCustomContextLimits,
  customContext,
  customContextLimits,
  getCustomContext,
  mergeCustomContext,
  runScopeCustomContext,
} from "@flyte/custom-context";
import type { CustomContextErrorCode } from "@flyte/custom-context";
import { runRootTask } from "./support/taskHarness.js";

function refusal(fn: () => unknown): CustomContextError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CustomContextError);
    expect(e).toBeInstanceOf(TypeError);
    return e as CustomContextError;
  }
  throw new Error("expected a CustomContextError, nothing was thrown");
}

const sym = Symbol("s");
const cases: Array<[string, unknown, CustomContextErrorCode, string | undefined, RegExp]> = [
  ["null", null, "INVALID_VALUES", undefined, /plain object/],
  ["a string", "a=1", "INVALID_VALUES", undefined, /plain object/],
  ["an array", [["a", "1"]], "INVALID_VALUES", undefined, /an array/],
  ["a Map", new Map([["a", "1"]]), "INVALID_VALUES", undefined, /Map/],
  ["a symbol key", { [sym]: "1" }, "NON_STRING_KEY", undefined, /Symbol\(s\)/],
  ["a number value", { a: 1 }, "NON_STRING_VALUE", "a", /"a".*number/],
  ["a null value", { a: null }, "NON_STRING_VALUE", "a", /"a".*null/],
  ["an undefined value", { a: undefined }, "NON_STRING_VALUE", "a", /"a".*undefined/],
  ["an object value", { a: { b: "c" } }, "NON_STRING_VALUE", "a", /"a".*object/],
  ["an empty key", { "": "1" }, "EMPTY_KEY", "", /empty/],
  ["a key with a space", { "a b": "1" }, "MALFORMED_KEY", "a b", /"a b".*malformed/],
  ["a key starting with a digit", { "1a": "1" }, "MALFORMED_KEY", "1a", /"1a"/],
  ["a key with a slash", { "a/b": "1" }, "MALFORMED_KEY", "a/b", /"a\/b"/],
  ["a non-ASCII key", { clé: "1" }, "MALFORMED_KEY", "clé", /"clé"/],
  [
    "__proto__ as an own key",
    JSON.parse('{"__proto__":"1"}'),
    "MALFORMED_KEY",
    "__proto__",
    /__proto__/,
  ],
  [
    "a key of 129 chars",
    { ["k".repeat(129)]: "1" },
    "MALFORMED_KEY",
    "k".repeat(129),
    /at most 128/,
  ],
  [
    "a _u_ key",
    { _u_kickoff_time_input_arg: "t" },
    "RESERVED_KEY",
    "_u_kickoff_time_input_arg",
    /reserved/,
  ],
  ["a _f_ key", { _f_x: "1" }, "RESERVED_KEY", "_f_x", /reserved/],
  ["a lone surrogate value", { a: "x\ud800y" }, "MALFORMED_VALUE", "a", /"a".*surrogate/],
  ["a lone low surrogate value", { a: "\udc00" }, "MALFORMED_VALUE", "a", /surrogate/],
];

describe("validation when set", () => {
  it.each(cases)("refuses %s", async (_label, values, code, key, message) => {
    const check = () => {
      const e = refusal(() => customContext(values as Record<string, string>));
      expect(e.code).toBe(code);
      expect(e.key).toBe(key);
      expect(e.message).toMatch(message);
      const e2 = refusal(() => customContext(values as Record<string, string>, () => 1));
      expect(e2.code).toBe(code);
      const e3 = refusal(() => mergeCustomContext({ ok: "1" }, values as Record<string, string>));
      expect(e3.code).toBe(code);
    };
    // Inside a task, and outside (the driver scope) alike; nothing set before changes.
    await runRootTask(async () => {
      using _ = customContext({ before: "1" });
      const task = ctx();
      check();
      expect(ctx()).toBe(task);
      expect(getCustomContext()).toEqual({ before: "1" });
    });
    {
      using _ = customContext({ before: "1" });
      check();
      expect(runScopeCustomContext()).toEqual({ before: "1" });
    }
  });

  it("accepts the edge of the key pattern", async () => {
    await runRootTask(async () => {
      const values = {
        a: "",
        Z9: "x",
        "a.b-c_d": "y",
        ["k".repeat(128)]: "z",
        u_x: "not reserved",
        emoji: "😀 ünïcödé",
      };
      using _ = customContext(values);
      expect(getCustomContext()).toEqual(values);
    });
  });

  it("accepts an object without a prototype", async () => {
    await runRootTask(async () => {
      const values = Object.create(null) as Record<string, string>;
      values.a = "1";
      using _ = customContext(values);
      expect(getCustomContext()).toEqual({ a: "1" });
    });
  });

  it("reads each value once (a getter cannot pass the check with one value and store another)", async () => {
    await runRootTask(async () => {
      let reads = 0;
      const values = {
        get a() {
          reads++;
          return reads === 1 ? "checked" : (42 as unknown as string);
        },
      };
      using _ = customContext(values);
      expect(getCustomContext()).toEqual({ a: "checked" });
      expect(reads).toBe(1);
    });
  });

  it("refuses a non-function callback", () => {
    const e = refusal(() => customContext({ a: "1" }, "not a function" as unknown as () => void));
    expect(e.code).toBe("INVALID_CALLBACK");
  });
});

describe("limits", () => {
  afterEach(() => {
    configureCustomContextLimits({ maxEntries: 64, maxBytes: 8192 });
  });

  const many = (n: number, prefix = "k") =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, "v"]));

  it("defaults to 64 entries and 8 KiB", () => {
    expect(customContextLimits()).toEqual({ maxEntries: 64, maxBytes: 8192 });
  });

  it("allows 64 entries after the merge and refuses the 65th, naming it", async () => {
    await runRootTask(async () => {
      using _ = customContext(many(32, "b"));
      const e = refusal(() => customContext(many(33, "c")));
      expect(e.code).toBe("TOO_MANY_ENTRIES");
      expect(e.key).toBe("c32");
      expect(e.message).toMatch(/65 entries.*64/);
      expect(Object.keys(getCustomContext())).toHaveLength(32);
      using _2 = customContext(many(32, "c"));
      expect(Object.keys(getCustomContext())).toHaveLength(64);
      // Overriding existing keys does not grow the map.
      using _3 = customContext(many(32, "c"));
      expect(Object.keys(getCustomContext())).toHaveLength(64);
    }, {});
  });

  it("counts the inherited map towards the limits", async () => {
    await runRootTask(
      async () => {
        const e = refusal(() => customContext({ one: "more" }));
        expect(e.code).toBe("TOO_MANY_ENTRIES");
        expect(e.key).toBe("one");
      },
      many(64, "inherited"),
    );
  });

  it("allows 8192 bytes of UTF-8 keys and values and refuses one more, naming the key", async () => {
    await runRootTask(async () => {
      // "k" + 8190 × "a" + ... : 1 + 8191 = 8192 bytes exactly.
      using _ = customContext({ k: "a".repeat(8191) });
      const e = refusal(() => customContext({ x: "" }));
      expect(e.code).toBe("TOO_LARGE");
      expect(e.key).toBe("x");
      expect(e.message).toMatch(/8193 bytes.*8192/);
      // A shorter value for the same key shrinks the total.
      using _2 = customContext({ k: "short" });
      using _3 = customContext({ x: "y" });
      expect(getCustomContext()).toEqual({ k: "short", x: "y" });
    });
  });

  it("counts bytes, not characters", async () => {
    configureCustomContextLimits({ maxBytes: 10 });
    await runRootTask(async () => {
      using _ = customContext({ k: "ééé" }); // 1 + 6 bytes
      expect(refusal(() => customContext({ k: "😀😀😀" })).code).toBe("TOO_LARGE"); // 1 + 12
      using _2 = customContext({ k: "😀😀" }); // 1 + 8 = 9
      expect(getCustomContext()).toEqual({ k: "😀😀" });
    });
  });

  it("a later override that brings the total back under the limit is accepted", async () => {
    configureCustomContextLimits({ maxBytes: 20 });
    await runRootTask(async () => {
      using _ = customContext({ a: "x".repeat(15) }); // 16
      using _2 = customContext({ b: "yyyy", a: "" }); // passes 21 on the way, ends at 1 + 5 = 6
      expect(getCustomContext()).toEqual({ a: "", b: "yyyy" });
    });
  });

  it("is configurable in one place, and applies to the driver scope and merges too", () => {
    const before = configureCustomContextLimits({ maxEntries: 2 });
    expect(before).toEqual({ maxEntries: 64, maxBytes: 8192 });
    expect(customContextLimits()).toEqual({ maxEntries: 2, maxBytes: 8192 });
    expect(refusal(() => customContext(many(3))).code).toBe("TOO_MANY_ENTRIES");
    expect(refusal(() => mergeCustomContext(many(2), { z: "1" })).key).toBe("z");
    expect(mergeCustomContext(many(2), { k0: "override" })).toEqual({ k0: "override", k1: "v" });
  });

  it.each([0, -1, 1.5, Number.NaN, "8" as unknown as number])(
    "refuses the limit %p and keeps the old ones",
    (bad) => {
      expect(refusal(() => configureCustomContextLimits({ maxBytes: bad })).code).toBe(
        "INVALID_LIMITS",
      );
      expect(
        refusal(() => configureCustomContextLimits({ maxEntries: 3, maxBytes: bad })).code,
      ).toBe("INVALID_LIMITS");
      expect(customContextLimits()).toEqual({ maxEntries: 64, maxBytes: 8192 });
    },
  );
});
