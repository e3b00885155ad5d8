/**
 * Durable runs: every action keeps its inputs.pb and outputs.pb (or error.pb) under the run's
 * base folder, by names the Python SDK would give; a finished action is never run twice — not by
 * a retried parent, not in a child process, not after a resume — and a task cache returns
 * outputs across runs with their types intact.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { resolveStorage } from "@flyte/storage-adapters";
import {
  createS3Bucket,
  deleteS3Bucket,
  s3EnvironmentVariables,
  s3TestEnv,
} from "@flyte/test-utils";
import type { S3TestOptions } from "@flyte/test-utils";
import { z } from "zod";

import {
  ConfigurationError,
  TaskEnvironment,
  TaskFailedError,
  init,
  types,
  withRunContext,
} from "../src/index.js";
import type { RunEvent } from "../src/index.js";
import { callsAddOne } from "./fixtures-cli/wireTasks.js";
import { tempDir } from "./fixtures-cli/runBin.js";
import { VECTORS } from "./support/interop.js";

const names = JSON.parse(readFileSync(join(VECTORS, "action_names.json"), "utf8")) as {
  cases: Array<{ expected_name: string; group: string | null; task_call_seq: number }>;
};

function collect(): { events: RunEvent[]; onEvent: (e: RunEvent) => void } {
  const events: RunEvent[] = [];
  return { events, onEvent: (e) => events.push(e) };
}

/** Reads a stored file of the run through the run's own storage, whatever it is. */
async function stored(uri: string): Promise<Uint8Array | undefined> {
  const { storage, key } = resolveStorage(uri);
  return (await storage.head(key)) === null ? undefined : storage.get(key);
}

const s3 = s3TestEnv();
let bucket: string | undefined;
beforeAll(async () => {
  if (!s3.available) return;
  const options = (s3 as { options: S3TestOptions }).options;
  Object.assign(process.env, s3EnvironmentVariables(options));
  bucket = await createS3Bucket(options, "durable");
});
afterAll(async () => {
  if (bucket !== undefined)
    await deleteS3Bucket((s3 as { options: S3TestOptions }).options, bucket);
});

const stores: Array<[string, () => { raw: string; cleanup: () => void }]> = [
  [
    "local disk",
    () => {
      const raw = tempDir("durable");
      return { raw, cleanup: () => rmSync(raw, { recursive: true, force: true }) };
    },
  ],
  [
    "memory",
    () => ({
      raw: `memory://durable-${Math.random().toString(36).slice(2)}`,
      cleanup: () => undefined,
    }),
  ],
];
if (s3.available)
  stores.push([
    "S3 (radosgw)",
    () => ({
      raw: `s3://${bucket!}/${Math.random().toString(36).slice(2)}`,
      cleanup: () => undefined,
    }),
  ]);

describe.each(stores)("the action store on %s", (_label, makeStore) => {
  let raw: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ raw, cleanup } = makeStore());
    init({ rawDataPath: raw });
  });
  afterEach(() => cleanup());

  it("names children as the Python SDK does and writes their inputs.pb byte-equal to Python's", async () => {
    const result = await withRunContext({ name: "r1abc" }).run(callsAddOne);
    expect(result).toEqual([1099511627772, 1099511627772, 1099511627772]);
    const runBase = `${raw}/r1abc`;
    const ints = new Uint8Array(readFileSync(join(VECTORS, "inputs", "ints.pb")));
    for (const c of names.cases) {
      expect(await stored(`${runBase}/${c.expected_name}/inputs.pb`)).toEqual(ints);
      expect(await stored(`${runBase}/${c.expected_name}/outputs.pb`)).toBeDefined();
    }
    expect(await stored(`${runBase}/a0/inputs.pb`)).toBeDefined();
    expect(await stored(`${runBase}/a0/outputs.pb`)).toBeDefined();
  });

  it("reuses a child that succeeded when its parent is retried, and reruns one that failed", async () => {
    const env = new TaskEnvironment({ name: "reuse" });
    const runs = { ok: 0, flaky: 0, parent: 0 };
    const ok = env.task({ name: "ok", inputs: { n: z.int() }, output: z.int() }, async ({ n }) => {
      runs.ok++;
      return n * 2;
    });
    const flaky = env.task(
      { name: "flaky", inputs: { n: z.int() }, output: z.int() },
      async ({ n }) => {
        runs.flaky++;
        if (runs.flaky === 1) throw new Error("first time fails");
        return n + 1;
      },
    );
    const parent = env.task({ name: "parent", retries: 2, output: z.int() }, async () => {
      runs.parent++;
      const a = await ok({ n: 21 });
      const b = await flaky({ n: 1 }).catch(() => -1);
      if (runs.parent === 1) throw new Error("parent fails after its children");
      return a + b;
    });
    const { events, onEvent } = collect();
    await expect(withRunContext({ onEvent }).run(parent)).resolves.toBe(44);
    expect(runs).toEqual({ ok: 1, flaky: 2, parent: 2 });
    expect(
      events.filter((e) => e.type === "action-reused").map((e) => (e as { task: string }).task),
    ).toEqual(["ok"]);
  });

  it("returns a cache hit across runs without running the task, types intact", async () => {
    const env = new TaskEnvironment({ name: "cached" });
    let runs = 0;
    const when = new Date("2026-03-04T05:06:07.890Z");
    const heavy = env.task(
      {
        name: "heavy",
        cache: "auto",
        inputs: { n: z.int() },
        outputs: [
          z.number(),
          types.int64(),
          types.datetime(),
          z.object({ tags: z.array(z.string()), score: z.number() }),
        ],
      },
      async ({ n }) => {
        runs++;
        return [2, 9007199254740993n + BigInt(n), when, { tags: ["a", "b"], score: 1 }];
      },
    );
    const first = await withRunContext({}).run(heavy, { n: 1 });
    const { events, onEvent } = collect();
    const second = await withRunContext({ onEvent }).run(heavy, { n: 1 });
    expect(runs).toBe(1);
    expect(events.some((e) => e.type === "action-cached")).toBe(true);
    expect(second).toEqual(first);
    expect(typeof second[1]).toBe("bigint");
    expect(second[1]).toBe(9007199254740994n);
    expect(second[2]).toBeInstanceOf(Date);
    expect(second[2].getTime()).toBe(when.getTime());
    await withRunContext({ overwriteCache: true }).run(heavy, { n: 1 });
    expect(runs).toBe(2);
    await withRunContext({ disableRunCache: true }).run(heavy, { n: 1 });
    expect(runs).toBe(3);
    await withRunContext({}).run(heavy, { n: 2 });
    expect(runs).toBe(4);
  });

  it("writes error.pb for a task that failed for good", async () => {
    const env = new TaskEnvironment({ name: "fails" });
    const boom = env.task({ name: "boom", inputs: {} }, async () => {
      throw new Error("boom");
    });
    await expect(withRunContext({ name: "failing" }).run(boom, {})).rejects.toBeInstanceOf(
      TaskFailedError,
    );
    expect(await stored(`${raw}/failing/a0/error.pb`)).toBeDefined();
    expect(await stored(`${raw}/failing/a0/outputs.pb`)).toBeUndefined();
  });

  it("resumes a run by name: finished children reused, refusing another task or other inputs", async () => {
    const env = new TaskEnvironment({ name: "resume" });
    const runs: string[] = [];
    let failing = true;
    const step = env.task(
      { name: "step", inputs: { i: z.int() }, output: z.int() },
      async ({ i }) => {
        runs.push(`step${i}`);
        if (i === 2 && failing) throw new Error("crash at step 2");
        return i;
      },
    );
    const pipeline = env.task(
      { name: "pipeline", inputs: { n: z.int() }, output: z.int() },
      async ({ n }) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += await step({ i });
        return sum;
      },
    );
    await expect(
      withRunContext({ name: "resumable" }).run(pipeline, { n: 4 }),
    ).rejects.toBeInstanceOf(TaskFailedError);
    expect(runs).toEqual(["step0", "step1", "step2"]);
    await expect(
      withRunContext({ name: "resumable" }).run(pipeline, { n: 4 }),
    ).rejects.toMatchObject({ code: "RUN_EXISTS" });
    await expect(
      withRunContext({ name: "resumable", resume: true }).run(pipeline, { n: 5 }),
    ).rejects.toMatchObject({ code: "RESUME_MISMATCH" });
    await expect(
      withRunContext({ name: "resumable", resume: true }).run(step, { i: 0 }),
    ).rejects.toBeInstanceOf(ConfigurationError);
    await expect(
      withRunContext({ name: "nope", resume: true }).run(pipeline, { n: 4 }),
    ).rejects.toMatchObject({ code: "RUN_NOT_FOUND" });
    failing = false;
    const { events, onEvent } = collect();
    await expect(
      withRunContext({ name: "resumable", resume: true, onEvent }).run(pipeline, { n: 4 }),
    ).resolves.toBe(6);
    expect(runs).toEqual(["step0", "step1", "step2", "step2", "step3"]);
    expect(events.filter((e) => e.type === "action-reused")).toHaveLength(2);
    // A finished run resumed again returns its stored result without running anything.
    await expect(
      withRunContext({ name: "resumable", resume: true }).run(pipeline, { n: 4 }),
    ).resolves.toBe(6);
    expect(runs).toHaveLength(5);
    expect(await stored(`${raw}/resumable/_run.json`)).toBeDefined();
  });
});
