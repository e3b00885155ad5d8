/**
 * Durable runs, measured: what a child task call costs now that every call writes its inputs.pb
 * and outputs.pb to the run's action store (on memory and on the local disk), a cache hit against
 * running a trivial task, and how long a resumed run of 1,000 actions, 999 of them finished,
 * takes to reach the last one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

import { compare, formatNs, printRows, printTable } from "../../../tooling/bench/harness.js";
import { TaskEnvironment, init, run, withRunContext } from "../src/index.js";
import type { RunEvent } from "../src/index.js";

const env = new TaskEnvironment({ name: "bench_durable" });

async function trivial(x: number): Promise<number> {
  return x + 1;
}
const untyped = env.task(async function untyped(x: number) {
  return x + 1;
});
const typed = env.task(
  { name: "typed", inputs: { x: z.int() }, output: z.int() },
  async ({ x }) => x + 1,
);
const cached = env.task(
  { name: "cached", cache: "auto", inputs: { x: z.int() }, output: z.int() },
  async ({ x }) => x + 1,
);

/** A host task: the comparisons run inside it, so every call is a child action. */
function host(name: string, body: () => Promise<unknown>): Promise<unknown> {
  return run(env.task({ name }, body));
}

const disk = mkdtempSync(join(tmpdir(), "flyte-bench-durable-"));
try {
  for (const [label, rawDataPath] of [
    ["memory", "memory://bench-durable"],
    ["local disk", disk],
  ] as const) {
    init({ rawDataPath });
    // Distinct inputs per call: every call is a new action (the same inputs would be a reuse).
    let i = 0;
    const results = (await host(`host_${label.replace(" ", "_")}`, () =>
      compare(
        [
          {
            name: `child task call, untyped, action store on ${label}`,
            target: "overhead tracked (was ~2.7 µs with no store)",
            baseline: { name: "direct async call", fn: () => trivial(1) },
            subject: { name: "child task", fn: () => untyped(i++) },
          },
          {
            name: `child task call, declared int → int, action store on ${label}`,
            target: "overhead tracked",
            baseline: { name: "direct async call", fn: () => trivial(1) },
            subject: { name: "child task", fn: () => typed({ x: i++ }) },
          },
        ],
        { time: 1_500 },
      ),
    )) as Awaited<ReturnType<typeof compare>>;
    printTable(`Child task call vs direct async call (action store on ${label})`, results);
    for (const r of results)
      console.log(
        `${r.name}: ${formatNs(r.subjectNs - r.baselineNs)} per call over a direct call.`,
      );
    console.log("");
  }

  // A cache hit against running the trivial task it stands for, both as child calls.
  init({ rawDataPath: disk });
  await host("warm_cache", () => cached({ x: 7 }));
  let j = 0;
  const cacheResults = (await host("host_cache", () =>
    compare(
      [
        {
          name: "cache hit vs running a trivial task (disk)",
          target: "≤ 1.5× (a hit reads one outputs.pb where a run writes one)",
          baseline: {
            name: "trivial declared child, run",
            fn: () => typed({ x: 1_000_000 + j++ }),
          },
          subject: { name: "cached child, hit", fn: () => cached({ x: 7 }) },
        },
      ],
      { time: 1_500 },
    ),
  )) as Awaited<ReturnType<typeof compare>>;
  printTable("Task cache", cacheResults);

  // Resume of a 1,000-action run with 999 finished: time to reach the last action.
  const N = 1_000;
  let failLast = true;
  const step = env.task(
    { name: "step", inputs: { i: z.int() }, output: z.int() },
    async ({ i }) => {
      if (i === N - 1 && failLast) throw new Error("the last step fails the first time");
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
  const rows: string[][] = [];
  for (const [label, rawDataPath] of [
    ["memory", "memory://bench-resume"],
    ["local disk", disk],
  ] as const) {
    init({ rawDataPath });
    failLast = true;
    const name = `resume-${label.replace(" ", "-")}`;
    const t0 = process.hrtime.bigint();
    await withRunContext({ name })
      .run(pipeline, { n: N })
      .catch(() => undefined);
    const firstNs = Number(process.hrtime.bigint() - t0);
    failLast = false;
    let reachedNs = 0;
    const start = process.hrtime.bigint();
    const onEvent = (e: RunEvent): void => {
      if (e.type === "attempt-start" && e.task === "step" && reachedNs === 0)
        reachedNs = Number(process.hrtime.bigint() - start);
    };
    await withRunContext({ name, resume: true, onEvent }).run(pipeline, { n: N });
    const totalNs = Number(process.hrtime.bigint() - start);
    rows.push([
      label,
      formatNs(firstNs),
      formatNs(reachedNs),
      formatNs(reachedNs / (N - 1)),
      formatNs(totalNs),
    ]);
  }
  printRows(
    "Resume of a 1,000-action run with 999 finished",
    [
      "storage",
      "first run (fails at the last step)",
      "resume: time to reach the last action",
      "per reused action",
      "resume: whole run",
    ],
    rows,
  );
} finally {
  rmSync(disk, { recursive: true, force: true });
}
