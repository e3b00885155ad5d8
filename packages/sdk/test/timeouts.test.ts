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

const env = new TaskEnvironment({ name: "timeouts" });

/** Resolves when the task's signal aborts, with its reason; ignores nothing. */
function untilAborted(): Promise<never> {
  const signal = ctx()!.signal;
  return new Promise((_, reject) =>
    signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true }),
  );
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
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
            await untilAborted();
          } catch (reason) {
            reasons.push(reason);
            throw reason;
          }
        }
        return ctx()!.attemptNumber;
      },
    );
    const events: RunEvent[] = [];
    const before = timers();
    await expect(withRunContext({ onEvent: (e) => events.push(e) }).run(slowOnce)).resolves.toBe(1);
    expect(reasons[0]).toBeInstanceOf(TaskTimeoutError);
    expect(events.find((e) => e.type === "attempt-failure")).toMatchObject({
      timedOut: true,
      willRetry: true,
    });
    expect(timers()).toBeLessThanOrEqual(before); // none of ours left (others may have ended)
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
        await untilAborted();
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
        await untilAborted();
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
      await untilAborted();
    });
    const fan = env.task({ name: "fan" }, async function fan() {
      await Promise.all([0, 1, 2].map((i) => waiter(i)));
    });
    const controller = new AbortController();
    const events: RunEvent[] = [];
    const before = timers();
    const running = withRunContext({
      name: "cancelled-run",
      signal: controller.signal,
      onEvent: (e) => events.push(e),
    }).run(fan);
    while (started.length < 3) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new RunCancelledError("stop"));
    await expect(running).rejects.toBeInstanceOf(RunCancelledError);
    expect(events.filter((e) => e.type === "action-cancelled")).toHaveLength(4);
    expect(events.find((e) => e.type === "run-end")).toMatchObject({ ok: false, cancelled: true });
    expect(existsSync(join(raw, "cancelled-run", "a0", "error.pb"))).toBe(false);
    expect(timers()).toBeLessThanOrEqual(before); // none of ours left (others may have ended)
  });
});
