/**
 * Retry strategies: validated as the Python SDK validates them, at definition; NonRecoverableError
 * stops retrying; backoff delays follow min(base * factor ** n, cap).
 */
import {
  NonRecoverableError,
  RetryStrategyError,
  TaskDefinitionError,
  TaskEnvironment,
  TaskFailedError,
  computeDelay,
  ctx,
  init,
  normalizeRetries,
  withRunContext,
} from "../src/index.js";
import type { RetrySpec, RunEvent } from "../src/index.js";

beforeAll(() => init({ rawDataPath: "memory://sdk-retries" }));

const env = new TaskEnvironment({ name: "retries" });

describe("retry validation", () => {
  const refused: Array<[string, unknown, string]> = [
    ["negative count", -1, "retries"],
    ["fractional count", 1.5, "retries"],
    ["NaN count", NaN, "retries"],
    ["string", "3", "retries"],
    ["null", null, "retries"],
    ["object without count", {}, "retries.count"],
    ["negative count in object", { count: -2 }, "retries.count"],
    ["unknown key", { count: 1, backof: {} }, "retries.backof"],
    ["negative base", { count: 1, backoff: { base: -1 } }, "retries.backoff.base"],
    ["infinite base", { count: 1, backoff: { base: Infinity } }, "retries.backoff.base"],
    ["factor below 1", { count: 1, backoff: { base: 1, factor: 0.5 } }, "retries.backoff.factor"],
    [
      "infinite factor",
      { count: 1, backoff: { base: 1, factor: Infinity, cap: 10 } },
      "retries.backoff.factor",
    ],
    [
      "NaN factor",
      { count: 1, backoff: { base: 1, factor: NaN, cap: 10 } },
      "retries.backoff.factor",
    ],
    ["negative cap", { count: 1, backoff: { base: 1, cap: -1 } }, "retries.backoff.cap"],
    [
      "factor > 1 without cap",
      { count: 1, backoff: { base: 1, factor: 2 } },
      "retries.backoff.cap",
    ],
    ["backoff not an object", { count: 1, backoff: 5 }, "retries.backoff"],
  ];

  it.each(refused)("refuses %s at definition, naming the option", (_label, retries, option) => {
    let error: unknown;
    try {
      env.task({ retries: retries as RetrySpec }, async function neverDefined() {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RetryStrategyError);
    expect(error).toBeInstanceOf(TaskDefinitionError);
    expect((error as RetryStrategyError).code).toBe("INVALID_RETRIES");
    expect((error as RetryStrategyError).option).toBe(option);
    expect(env.getTask("neverDefined")).toBeUndefined();
  });

  it("refuses a bad environment default too", () => {
    expect(() => new TaskEnvironment({ name: "bad", retries: -1 })).toThrow(RetryStrategyError);
  });

  it("accepts what Python accepts", () => {
    expect(normalizeRetries(0)).toEqual({ count: 0 });
    expect(normalizeRetries(3)).toEqual({ count: 3 });
    expect(normalizeRetries({ count: 2 })).toEqual({ count: 2 });
    expect(normalizeRetries({ count: 2, backoff: { base: 0 } })).toEqual({
      count: 2,
      backoff: { base: 0, factor: 1 },
    });
    expect(normalizeRetries({ count: 2, backoff: { base: 5, factor: 2, cap: 0 } })).toEqual({
      count: 2,
      backoff: { base: 5, factor: 2, cap: 0 },
    });
  });
});

describe("computeDelay", () => {
  it("is min(base * factor ** n, cap), n 0-based", () => {
    const policy = normalizeRetries({ count: 5, backoff: { base: 100, factor: 2, cap: 500 } });
    expect([0, 1, 2, 3, 4].map((n) => computeDelay(policy, n))).toEqual([100, 200, 400, 500, 500]);
    expect(computeDelay(normalizeRetries({ count: 1, backoff: { base: 7 } }), 3)).toBe(7);
    expect(computeDelay(normalizeRetries(3), 2)).toBe(0);
  });

  it("refuses a negative retry index", () => {
    expect(() => computeDelay(normalizeRetries(1), -1)).toThrow(RangeError);
  });

  it("is the wait the runner announces between attempts", async () => {
    const task = env.task(
      { retries: { count: 3, backoff: { base: 1, factor: 2, cap: 3 } } },
      async function backsOff() {
        if (ctx()!.attemptNumber < 3) throw new Error("again");
        return "ok";
      },
    );
    const events: RunEvent[] = [];
    await withRunContext({ onEvent: (e) => events.push(e) }).run(task);
    const delays = events
      .filter((e) => e.type === "attempt-failure")
      .map((e) => (e as { delayMs: number }).delayMs);
    expect(delays).toEqual([1, 2, 3]);
  });
});

describe("NonRecoverableError", () => {
  it("stops retrying at once", async () => {
    let calls = 0;
    const task = env.task({ retries: 5 }, async function refusesInput(x: number) {
      calls++;
      if (x < 0) throw new NonRecoverableError(`bad input ${x}`);
      return x;
    });
    const error = (await withRunContext({})
      .run(task, -1)
      .catch((e: unknown) => e)) as TaskFailedError;
    expect(calls).toBe(1);
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error.nonRecoverable).toBe(true);
    expect(error.attempts).toHaveLength(1);
    expect(error.cause).toBeInstanceOf(NonRecoverableError);
    expect(error.message).toMatch(/non-recoverable/);
  });

  it("after recoverable failures, ends the retries where it is thrown", async () => {
    const task = env.task({ retries: 5 }, async function recoverableThenNot() {
      const n = ctx()!.attemptNumber;
      if (n < 2) throw new Error("transient");
      throw new NonRecoverableError("give up");
    });
    const error = (await withRunContext({})
      .run(task)
      .catch((e: unknown) => e)) as TaskFailedError;
    expect(error.attempts.map((a) => (a.error as Error).message)).toEqual([
      "transient",
      "transient",
      "give up",
    ]);
  });

  it("in a child stops the parent's retries too (same inputs would fail the same way)", async () => {
    let parentAttempts = 0;
    const child = env.task(async function hopelessChild() {
      throw new NonRecoverableError("no");
    });
    const parent = env.task({ retries: 3 }, async function parentOfHopeless() {
      parentAttempts++;
      return child();
    });
    const error = (await withRunContext({})
      .run(parent)
      .catch((e: unknown) => e)) as TaskFailedError;
    expect(parentAttempts).toBe(1);
    expect(error.nonRecoverable).toBe(true);
  });

  it("is not needed for a plain failure to be retried", async () => {
    let calls = 0;
    const task = env.task({ retries: 2 }, function syncFlaky() {
      calls++;
      if (calls < 3) throw new Error("sync failure");
      return calls;
    });
    await expect(withRunContext({}).run(task)).resolves.toBe(3);
  });
});
