/**
 * Checkpoints across attempts, in process: per-action, per-attempt paths; attempt N loads the
 * last checkpoint ANY earlier attempt saved (flyte#2894); siblings never share a checkpoint.
 */
import { readFileSync } from "node:fs";

import {
  Checkpoint,
  TaskEnvironment,
  TaskFailedError,
  ctx,
  init,
  resolveStorage,
  withRunContext,
} from "../src/index.js";
import type { RunEvent } from "../src/index.js";

const RAW = "memory://sdk-checkpoints";

beforeAll(() => init({ rawDataPath: RAW }));

const env = new TaskEnvironment({ name: "cp" });

describe("the seed's checkpoint loop", () => {
  it("resumes on the retry where the failed attempt left off", async () => {
    const starts: number[] = [];
    const iterations: number[] = [];
    const useCheckpoint = env.task(
      { retries: 3 },
      function useCheckpoint(n: number, failAt: number): number {
        const t = ctx()!;
        const checkpoint = t.checkpoint!;
        const path = checkpoint.loadSync();
        let index = path !== undefined ? Number(readFileSync(path, "utf8")) : 0;
        starts.push(index);
        for (; index < n; index++) {
          if (t.attemptNumber === 0 && index === failAt)
            throw new Error(`injected failure at ${index}`);
          iterations.push(index);
          checkpoint.saveSync(new TextEncoder().encode(`${index + 1}`));
        }
        return index;
      },
    );

    await expect(withRunContext({ name: "seed-loop" }).run(useCheckpoint, 10, 4)).resolves.toBe(10);
    expect(starts).toEqual([0, 4]);
    // Every index ran exactly once: nothing redone, nothing skipped.
    expect(iterations).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("works with the async JSON helpers too", async () => {
    const starts: number[] = [];
    const loop = env.task({ retries: 1 }, async function jsonLoop(n: number) {
      const t = ctx()!;
      let index = (await t.checkpoint!.loadJson<number>()) ?? 0;
      starts.push(index);
      for (; index < n; index++) {
        if (t.attemptNumber === 0 && index === 7) throw new Error("boom");
        await t.checkpoint!.saveJson(index + 1);
      }
      return index;
    });
    await expect(withRunContext({}).run(loop, 12)).resolves.toBe(12);
    expect(starts).toEqual([0, 7]);
  });
});

describe("checkpoint paths", () => {
  it("are per action and per attempt, under the run's folder", async () => {
    const seen: Array<{ attempt: number; dest?: string; prev?: string }> = [];
    const flaky = env.task({ retries: 2 }, async function pathsProbe() {
      const t = ctx()!;
      seen.push({
        attempt: t.attemptNumber,
        ...(t.checkpointPaths?.checkpointPath !== undefined && {
          dest: t.checkpointPaths.checkpointPath,
        }),
        ...(t.checkpointPaths?.prevCheckpointPath !== undefined && {
          prev: t.checkpointPaths.prevCheckpointPath,
        }),
      });
      await t.checkpoint!.saveJson(t.attemptNumber);
      if (t.attemptNumber < 2) throw new Error("again");
      return t.attemptNumber;
    });
    await withRunContext({ name: "paths" }).run(flaky);
    expect(seen).toEqual([
      { attempt: 0, dest: `${RAW}/paths/a0/0/_flytecheckpoints` },
      {
        attempt: 1,
        dest: `${RAW}/paths/a0/1/_flytecheckpoints`,
        prev: `${RAW}/paths/a0/0/_flytecheckpoints`,
      },
      {
        attempt: 2,
        dest: `${RAW}/paths/a0/2/_flytecheckpoints`,
        prev: `${RAW}/paths/a0/1/_flytecheckpoints`,
      },
    ]);
  });

  it("give attempt N the last checkpoint any earlier attempt saved, not only N-1's (flyte#2894)", async () => {
    const loaded: Array<unknown> = [];
    const task = env.task({ retries: 3 }, async function skipsASave() {
      const t = ctx()!;
      loaded.push((await t.checkpoint!.loadJson<string>()) ?? null);
      if (t.attemptNumber === 0) {
        await t.checkpoint!.saveJson("from attempt 0");
        throw new Error("attempt 0 fails after saving");
      }
      if (t.attemptNumber === 1) throw new Error("attempt 1 dies before saving");
      return t.attemptNumber;
    });
    const events: RunEvent[] = [];
    await expect(
      withRunContext({ name: "skip", onEvent: (e) => events.push(e) }).run(task),
    ).resolves.toBe(2);
    expect(loaded).toEqual([null, "from attempt 0", "from attempt 0"]);
    const starts = events.filter((e) => e.type === "attempt-start");
    expect(starts.map((e) => (e as { prevCheckpointPath?: string }).prevCheckpointPath)).toEqual([
      undefined,
      `${RAW}/skip/a0/0/_flytecheckpoints`,
      `${RAW}/skip/a0/0/_flytecheckpoints`,
    ]);
  });

  it("see a checkpoint the task saved through its own Checkpoint object", async () => {
    const loaded: Array<unknown> = [];
    const task = env.task({ retries: 1 }, async function ownCheckpoint() {
      const t = ctx()!;
      const paths = t.checkpointPaths!;
      using cp = new Checkpoint(paths.checkpointPath!, paths.prevCheckpointPath);
      loaded.push((await cp.loadJson<number>()) ?? null);
      if (t.attemptNumber === 0) {
        await cp.saveJson(41);
        throw new Error("fail after a save the runner did not see");
      }
      return 42;
    });
    await expect(withRunContext({}).run(task)).resolves.toBe(42);
    expect(loaded).toEqual([null, 41]);
  });

  it("are never shared by siblings, and a sibling's retry restores its own state", async () => {
    const dests: string[] = [];
    const child = env.task({ retries: 1 }, async function sibling(id: string) {
      const t = ctx()!;
      dests.push(t.checkpointPaths!.checkpointPath!);
      const before = await t.checkpoint!.loadJson<string>();
      await t.checkpoint!.saveJson(`state of ${id}`);
      // Yield so the siblings interleave before anyone fails.
      await new Promise((r) => setImmediate(r));
      if (t.attemptNumber === 0 && id === "b") throw new Error("b fails once");
      return before ?? null;
    });
    const other = env.task(async function otherSibling() {
      const t = ctx()!;
      dests.push(t.checkpointPaths!.checkpointPath!);
      await t.checkpoint!.saveJson("other");
      return null;
    });
    const parent = env.task(async function parentOfSiblings() {
      return Promise.all([child("a"), child("b"), child("c"), other()]);
    });
    const results = await withRunContext({}).run(parent);
    // b's retry restored b's state, not a's or c's.
    expect(results).toEqual([null, "state of b", null, null]);
    expect(dests).toHaveLength(5);
    expect(new Set(dests).size).toBe(5);
  });

  it("are written where init's storage says", async () => {
    const task = env.task(async function writes() {
      await ctx()!.checkpoint!.saveJson({ ok: true });
      return ctx()!.checkpointPaths!.checkpointPath!;
    });
    const uri = await withRunContext({ name: "where" }).run(task);
    const { storage, key } = resolveStorage(uri);
    expect(JSON.parse(new TextDecoder().decode(await storage.get(key)))).toEqual({ ok: true });
  });
});

describe("attempt numbers", () => {
  const saved = process.env["FLYTE_ATTEMPT_NUMBER"];
  afterEach(() => {
    if (saved === undefined) delete process.env["FLYTE_ATTEMPT_NUMBER"];
    else process.env["FLYTE_ATTEMPT_NUMBER"] = saved;
  });

  it("are 0, 1, 2 per attempt, set by the runner, whatever FLYTE_ATTEMPT_NUMBER says", async () => {
    process.env["FLYTE_ATTEMPT_NUMBER"] = "7";
    const seen: number[] = [];
    const task = env.task({ retries: 2 }, async function counts() {
      const t = ctx()!;
      seen.push(t.attemptNumber);
      await new Promise((r) => setTimeout(r, 1));
      // Still the same after an await: fixed for the attempt, never re-read from the env.
      seen.push(ctx()!.attemptNumber);
      if (t.attemptNumber < 2) throw new Error("again");
      return "done";
    });
    await withRunContext({}).run(task);
    expect(seen).toEqual([0, 0, 1, 1, 2, 2]);
  });
});

describe("failures", () => {
  it("carry the attempt history on the final error", async () => {
    const task = env.task({ retries: 2 }, async function alwaysFails() {
      throw new RangeError(`attempt ${ctx()!.attemptNumber}`);
    });
    const error = (await withRunContext({ name: "history" })
      .run(task)
      .catch((e: unknown) => e)) as TaskFailedError;
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error.taskName).toBe("alwaysFails");
    expect(error.actionName).toBe("a0");
    expect(error.runName).toBe("history");
    expect(error.nonRecoverable).toBe(false);
    expect(error.attempts.map((a) => a.attempt)).toEqual([0, 1, 2]);
    expect(error.attempts.map((a) => (a.error as Error).message)).toEqual([
      "attempt 0",
      "attempt 1",
      "attempt 2",
    ]);
    expect(error.cause).toBe(error.attempts[2]!.error);
    expect(error.message).toMatch(/failed after 3 attempts: RangeError: attempt 2/);
  });

  it("nest: a child's final error is the parent attempt's error", async () => {
    const child = env.task(async function failingChild() {
      throw new Error("deep");
    });
    const parent = env.task({ retries: 1 }, async function failingParent() {
      return child();
    });
    const error = (await withRunContext({})
      .run(parent)
      .catch((e: unknown) => e)) as TaskFailedError;
    expect(error.attempts).toHaveLength(2);
    const inner = error.cause as TaskFailedError;
    expect(inner).toBeInstanceOf(TaskFailedError);
    expect(inner.taskName).toBe("failingChild");
    expect((inner.cause as Error).message).toBe("deep");
    // The retried parent calls the same child again — the same action name, as in Flyte — and
    // the child, having failed, runs again rather than being reused.
    const firstChild = (error.attempts[0]!.error as TaskFailedError).actionName;
    expect(firstChild).toBe(inner.actionName);
  });
});
