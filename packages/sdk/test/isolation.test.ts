/**
 * Process isolation: each attempt in a child process, so a crash is one failed attempt and the
 * next attempt resumes from the checkpoint. Real processes, real SIGKILL, checkpoints on disk.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  AttemptCrashedError,
  IsolationError,
  NonRecoverableError,
  RunCancelledError,
  TaskFailedError,
  TaskTimeoutError,
  customContext,
  init,
  withRunContext,
} from "../src/index.js";
import type { RunEvent } from "../src/index.js";
import {
  exitsOnce,
  getHidden,
  ignoresSignal,
  killableLoop,
  overruns,
  refuses,
  retriesAfterChild,
  uncaughtOnce,
  withChild,
} from "./fixtures/isolatedTasks.js";
import { startsLate } from "./fixtures/slowImportTask.js";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "flyte-isolation-"));
  init({ rawDataPath: join(dir, "raw") });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function readLog(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("isolation: process", () => {
  it("resumes the seed's checkpoint loop after a SIGKILL in the middle", async () => {
    const logFile = join(dir, "kill.log");
    const events: RunEvent[] = [];
    using _ = customContext({ team: "ml" });
    const result = await withRunContext({ name: "killed", onEvent: (e) => events.push(e) }).run(
      killableLoop,
      10,
      6,
      logFile,
    );

    expect(result.index).toBe(10);
    expect(result.attempt).toBe(1);
    expect(result.pid).not.toBe(process.pid);
    // The custom context crossed the process boundary in its wire form.
    expect(result.customContext).toEqual({ team: "ml" });

    const log = readLog(logFile);
    expect(log.map((l) => [l["attempt"], l["start"]])).toEqual([
      [0, 0],
      [1, 6], // attempt 0 saved 1..6, then was killed before saving 7
    ]);
    expect(log[0]!["pid"]).not.toBe(log[1]!["pid"]);

    const failure = events.find((e) => e.type === "attempt-failure");
    expect(failure?.type === "attempt-failure" && failure.error).toBeInstanceOf(
      AttemptCrashedError,
    );
    expect((failure as { error: AttemptCrashedError }).error.signal).toBe("SIGKILL");
    const second = events.filter((e) => e.type === "attempt-start")[1];
    expect(second).toMatchObject({
      attempt: 1,
      prevCheckpointPath: join(dir, "raw", "killed", "a0", "0", "_flytecheckpoints"),
    });
    expect(events.some((e) => e.type === "checkpoint-load" && e.attempt === 1 && e.found)).toBe(
      true,
    );
  });

  it("counts process.exit as a failed attempt and finds the checkpoint it saved", async () => {
    const logFile = join(dir, "exit.log");
    const events: RunEvent[] = [];
    const loaded = await withRunContext({ onEvent: (e) => events.push(e) }).run(exitsOnce, logFile);
    expect(loaded).toBe("saved-by-attempt-0");
    expect(readLog(logFile)).toEqual([
      { attempt: 0, loaded: null },
      { attempt: 1, loaded: "saved-by-attempt-0" },
    ]);
    const failure = events.find((e) => e.type === "attempt-failure") as {
      error: AttemptCrashedError;
    };
    expect(failure.error).toBeInstanceOf(AttemptCrashedError);
    expect(failure.error.exitCode).toBe(3);
  });

  it("counts an uncaught error in the child as a failed attempt", async () => {
    const events: RunEvent[] = [];
    await expect(
      withRunContext({ onEvent: (e) => events.push(e) }).run(uncaughtOnce),
    ).resolves.toBe(1);
    const failure = events.find((e) => e.type === "attempt-failure") as { error: Error };
    expect(failure.error.name).toBe("TypeError");
    expect(failure.error.message).toBe("thrown from a timer");
  });

  it("stops retrying on a NonRecoverableError thrown in the child", async () => {
    const error = (await withRunContext({})
      .run(refuses)
      .catch((e: unknown) => e)) as TaskFailedError;
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error.nonRecoverable).toBe(true);
    expect(error.attempts).toHaveLength(1);
    expect(error.cause).toBeInstanceOf(NonRecoverableError);
    expect((error.cause as Error).message).toBe("attempt 0 refuses");
  });

  it("reuses a child a failed attempt finished, in the retry's new process", async () => {
    const logFile = join(dir, "reuse.log");
    const events: RunEvent[] = [];
    await expect(
      withRunContext({ onEvent: (e) => events.push(e) }).run(retriesAfterChild, logFile),
    ).resolves.toBe(40);
    const runs = readFileSync(logFile, "utf8").trim().split("\n");
    expect(runs).toHaveLength(1); // the child's body ran once, in attempt 0's process
    expect(events.filter((e) => e.type === "attempt-start" && e.action === "a0")).toHaveLength(2);
  });

  it("times out an attempt in its own process (the limit counts the child's start)", async () => {
    const error = (await withRunContext({})
      .run(overruns)
      .catch((e: unknown) => e)) as TaskFailedError;
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error.cause).toBeInstanceOf(TaskTimeoutError);
  });

  it("never starts the body of an attempt aborted while its child imports the task", async () => {
    const markerFile = join(dir, "late.marker");
    process.env["FLYTE_TEST_SLOW_IMPORT"] = "1"; // read by the child's import only
    try {
      const error = (await withRunContext({})
        .run(startsLate, markerFile)
        .catch((e: unknown) => e)) as TaskFailedError;
      expect(error).toBeInstanceOf(TaskFailedError);
      expect(error.cause).toBeInstanceOf(TaskTimeoutError);
    } finally {
      delete process.env["FLYTE_TEST_SLOW_IMPORT"];
    }
    expect(existsSync(markerFile)).toBe(false);
  });

  it("kills an attempt that ignores its signal once the grace period is over", async () => {
    // Cancelled once its body runs, not by a timer: a child that starts slowly (Node 20 and tsx
    // on a busy machine take seconds) must not turn this into a test of start-up time.
    const pidFile = join(dir, "ignores.pid");
    const controller = new AbortController();
    const running = withRunContext({ signal: controller.signal })
      .run(ignoresSignal, pidFile)
      .catch((e: unknown) => e);
    while (!existsSync(pidFile) || readFileSync(pidFile, "utf8") === "") {
      await new Promise((r) => setTimeout(r, 20));
    }
    const pid = Number(readFileSync(pidFile, "utf8"));
    const cancelledAt = Date.now();
    controller.abort(new RunCancelledError("stop"));
    const error = await running;
    expect(error).toBeInstanceOf(RunCancelledError);
    // It ignored the signal, so it lived out the grace period, then was killed.
    expect(Date.now() - cancelledAt).toBeGreaterThanOrEqual(300);
    expect(() => process.kill(pid, 0)).toThrow(); // gone: no stray process
  });

  it("runs the isolated task's children inside its process", async () => {
    const result = await withRunContext({ name: "nested" }).run(withChild, 21);
    expect(result.inner.value).toBe(42);
    expect(result.inner.pid).toBe(result.pid);
    expect(result.pid).not.toBe(process.pid);
    expect(result.inner.action).not.toBe("a0");
  });

  it("refuses a task that is not a module-level export, without retrying", async () => {
    const error = (await withRunContext({})
      .run(getHidden())
      .catch((e: unknown) => e)) as TaskFailedError;
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error.attempts).toHaveLength(1);
    expect(error.cause).toBeInstanceOf(IsolationError);
    expect((error.cause as Error).message).toMatch(/must be a module-level export/);
  });

  it("refuses a run started when the child imports the task's module (no fork without end)", async () => {
    const logFile = join(dir, "toplevel.log");
    process.env["FLYTE_TEST_TOPLEVEL_LOG"] = logFile;
    try {
      const { started } = await import("./fixtures/topLevelRun.js");
      const outcome = await started;
      expect(outcome.ok).toBe(true);
      const childPid = (outcome as { pid: number }).pid;
      expect(childPid).not.toBe(process.pid);
      // The child imported the module, and its top-level run was refused, once.
      const lines = readFileSync(logFile, "utf8").trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `^${childPid} IsolationError: run\\(selfRunning\\) was started while a child process imported`,
        ),
      );
    } finally {
      delete process.env["FLYTE_TEST_TOPLEVEL_LOG"];
    }
  });

  it("refuses memory:// storage, which cannot outlive the process", async () => {
    const error = (await withRunContext({ rawDataPath: "memory://isolation" })
      .run(killableLoop, 1, 5, join(dir, "never.log"))
      .catch((e: unknown) => e)) as TaskFailedError;
    expect(error.cause).toBeInstanceOf(IsolationError);
    expect((error.cause as Error).message).toMatch(/memory:\/\//);
    expect(error.attempts).toHaveLength(1);
  });
});
