/**
 * Timeouts and cancellation: an attempt that overruns its `timeout` is aborted (its
 * `ctx().signal` fires), counts as a failed attempt and is retried; a `total` limit stops the
 * retries; a parent's abort reaches its children; a cancelled run stops every action without
 * recording a failure; and nothing is left behind — no timers, no listeners, no processes.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

import {
  RunCancelledError,
  TaskEnvironment,
  TaskFailedError,
  TaskTimeoutError,
  ctx,
  init,
  withRunContext,
} from "../src/index.js";
import type { RunEvent } from "../src/index.js";
import { tempDir } from "./fixtures-cli/runBin.js";
import { untilAborted } from "./support/untilAborted.js";

const env = new TaskEnvironment({ name: "timeouts" });

/**
 * Records the timers set while `work` runs and returns those still pending when it is done —
 * ours only (counting all active timers would count jest's reporter too).
 */
async function pendingTimersAfter(work: () => Promise<unknown>): Promise<string[]> {
  const pending = new Map<unknown, string>();
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const t = realSet(
      (...a: unknown[]) => {
        pending.delete(t);
        fn(...a);
      },
      ms,
      ...args,
    );
    pending.set(t, new Error(`a ${String(ms)} ms timer`).stack ?? "");
    return t;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((t: Parameters<typeof clearTimeout>[0]) => {
    pending.delete(t);
    realClear(t);
  }) as typeof clearTimeout;
  try {
    await work().catch(() => undefined);
  } finally {
    globalThis.setTimeout = realSet;
    globalThis.clearTimeout = realClear;
  }
  return [...pending.values()];
}

describe("timeouts", () => {
  let raw: string;
  beforeAll(async () => {
    raw = tempDir("timeouts");
    init({ rawDataPath: raw });
    // One run first: what loads once per process (a lazy module, a pool) is not a leak of a run.
    await withRunContext({}).run(env.task({ name: "warmUp" }, async function warmUp() {}));
  });

  it("aborts an attempt that overruns, retries it, and counts it as failed", async () => {
    let attempts = 0;
    const reasons: unknown[] = [];
    const slowOnce = env.task(
      { name: "slowOnce", timeout: "100ms", retries: 1 },
      async function slowOnce() {
        attempts++;
        if (attempts === 1) {
          try {
            await untilAborted(ctx()!.signal);
          } catch (reason) {
            reasons.push(reason);
            throw reason;
          }
        }
        return ctx()!.attemptNumber;
      },
    );
    const events: RunEvent[] = [];
    let result: unknown;
    const left = await pendingTimersAfter(async () => {
      result = await withRunContext({ onEvent: (e) => events.push(e) }).run(slowOnce);
    });
    expect(result).toBe(1);
    expect(left).toEqual([]);
    expect(reasons[0]).toBeInstanceOf(TaskTimeoutError);
    expect(events.find((e) => e.type === "attempt-failure")).toMatchObject({
      timedOut: true,
      willRetry: true,
    });
  });

  it("fails with the timeout when every attempt overruns, even a task that ignores its signal", async () => {
    const ignores = env.task(
      { name: "ignores", timeout: 50, retries: 1 },
      async function ignores() {
        await new Promise((r) => setTimeout(r, 400));
        return "too late";
      },
    );
    const error = (await withRunContext({})
      .run(ignores)
      .catch((e: unknown) => e)) as TaskFailedError;
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error.attempts).toHaveLength(2);
    expect(error.attempts.every((a) => a.error instanceof TaskTimeoutError)).toBe(true);
    await new Promise((r) => setTimeout(r, 450)); // let the ignored bodies finish
  });

  it("stops retrying once the total limit is used up", async () => {
    let attempts = 0;
    const budget = env.task(
      { name: "budget", timeout: { attempt: "80ms", total: "200ms" }, retries: 10 },
      async function budget() {
        attempts++;
        await untilAborted(ctx()!.signal);
      },
    );
    const error = (await withRunContext({})
      .run(budget)
      .catch((e: unknown) => e)) as TaskFailedError;
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(attempts).toBeLessThan(5);
    expect(error.nonRecoverable).toBe(true);
    expect(error.attempts.at(-1)!.error).toMatchObject({ scope: "total" });
  });

  it("aborts the children of a parent that times out", async () => {
    let childReason: unknown;
    const child = env.task({ name: "child" }, async function child() {
      try {
        await untilAborted(ctx()!.signal);
      } catch (reason) {
        childReason = reason;
        throw reason;
      }
    });
    const parent = env.task(
      { name: "parentTimesOut", timeout: "100ms" },
      async function parentTimesOut() {
        await child();
      },
    );
    const events: RunEvent[] = [];
    const error = (await withRunContext({ onEvent: (e) => events.push(e) })
      .run(parent)
      .catch((e: unknown) => e)) as TaskFailedError;
    expect(error.cause).toBeInstanceOf(TaskTimeoutError);
    expect(childReason).toBeInstanceOf(TaskTimeoutError);
    expect(events.some((e) => e.type === "action-cancelled" && e.task === "child")).toBe(true);
  });

  it("refuses a bad timeout when the task is defined", () => {
    expect(() => env.task({ timeout: "soon" }, async function badTimeout() {})).toThrow(
      /timeout must be a duration/,
    );
    expect(() => env.task({ timeout: { attempt: -1 } }, async function badTimeout2() {})).toThrow(
      /timeout.attempt/,
    );
    expect(() =>
      env.task({ timeout: { limit: 1 } as never }, async function badTimeout3() {}),
    ).toThrow(/no option "limit"/);
  });
});

describe("cancelling a run", () => {
  it("aborts every running action, rejects with RunCancelledError and records no failure", async () => {
    const raw = tempDir("cancel");
    init({ rawDataPath: raw });
    const started: number[] = [];
    const waiter = env.task({ name: "waiter" }, async function waiter(i: number) {
      started.push(i);
      await untilAborted(ctx()!.signal);
    });
    const fan = env.task({ name: "fan" }, async function fan() {
      await Promise.all([0, 1, 2].map((i) => waiter(i)));
    });
    const controller = new AbortController();
    const events: RunEvent[] = [];
    let error: unknown;
    const left = await pendingTimersAfter(async () => {
      const running = withRunContext({
        name: "cancelled-run",
        signal: controller.signal,
        onEvent: (e) => events.push(e),
      }).run(fan);
      while (started.length < 3) await new Promise((r) => setImmediate(r));
      controller.abort(new RunCancelledError("stop"));
      error = await running.catch((e: unknown) => e);
    });
    expect(error).toBeInstanceOf(RunCancelledError);
    expect(left).toEqual([]);
    expect(events.filter((e) => e.type === "action-cancelled")).toHaveLength(4);
    expect(events.find((e) => e.type === "run-end")).toMatchObject({ ok: false, cancelled: true });
    expect(existsSync(join(raw, "cancelled-run", "a0", "error.pb"))).toBe(false);
  });
});
