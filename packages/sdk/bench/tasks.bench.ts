/**
 * @flyte/sdk's task runtime against its natural baseline, in one process: a child task call (its
 * own ActionID, TaskContext, context branch, checkpoint paths; no checkpoint used) against a
 * direct call of the same async function; then runs of 10,000 trivial child tasks, sequential
 * and concurrent — time, peak RSS, and the heap after the run against before (no leak per task).
 */
import {
  compare,
  formatNs,
  printRows,
  printTable,
  sampleRss,
} from "../../../tooling/bench/harness.js";
import { TaskEnvironment, dropMemoryVolume, init, run, withRunContext } from "../src/index.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc (pnpm bench does)");

init({ rawDataPath: "memory://sdk-bench" });
const env = new TaskEnvironment({ name: "bench" });

async function trivial(x: number): Promise<number> {
  return x + 1;
}
const trivialTask = env.task(async function trivialTask(x: number) {
  return x + 1;
});

// The comparison runs inside a task, so every call of trivialTask is a child action.
const host = env.task(async function host() {
  return compare(
    [
      {
        name: "child task call (no checkpoint)",
        target: "per-call overhead, tracked",
        baseline: { name: "direct async call", fn: () => trivial(1) },
        subject: { name: "child task", fn: () => trivialTask(1) },
      },
    ],
    { time: 1_000 },
  );
});
const results = await run(host);
printTable("Child task call vs direct async call", results);
const overhead = results[0]!.subjectNs - results[0]!.baselineNs;
console.log(`Per-call overhead of a child task: ${formatNs(overhead)}.\n`);

const N = 10_000;
const sequential = env.task(async function sequential(n: number) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await trivialTask(i);
  return sum;
});
const concurrent = env.task(async function concurrent(n: number) {
  const calls: Array<Promise<number>> = [];
  for (let i = 0; i < n; i++) calls.push(trivialTask(i));
  return (await Promise.all(calls)).length;
});

/**
 * A run on a memory volume of its own, dropped afterwards: what a run stores (each action's
 * inputs.pb and outputs.pb) is data kept on purpose, so the leak check must not count it.
 */
let volumes = 0;
async function runFresh(task: typeof sequential, n: number): Promise<void> {
  const volume = `sdk-bench-${++volumes}`;
  try {
    await withRunContext({ rawDataPath: `memory://${volume}` }).run(task, n);
  } finally {
    dropMemoryVolume(volume);
  }
}

function heapAfterGc(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

const MiB = 1024 * 1024;
const rows: string[][] = [];
for (const [label, task] of [
  ["10,000 sequential child tasks", sequential],
  ["10,000 concurrent child tasks", concurrent],
] as const) {
  await runFresh(task, N); // warm-up: code compiled, caches filled
  // Timed without a forced GC just before: a full GC shrinks the young generation, and the run
  // would then pay for regrowing it rather than for its tasks.
  const rssBefore = process.memoryUsage.rss();
  const sampler = sampleRss(2);
  const start = process.hrtime.bigint();
  await runFresh(task, N);
  const ns = Number(process.hrtime.bigint() - start);
  const peak = sampler.stop();
  // The leak check: the heap after a full GC, before and after one more run.
  const heapBefore = heapAfterGc();
  await runFresh(task, N);
  const heapAfter = heapAfterGc();
  const growth = (heapAfter - heapBefore) / heapBefore;
  rows.push([
    label,
    formatNs(ns),
    formatNs(ns / N),
    `${(peak / MiB).toFixed(1)} MiB (+${((peak - rssBefore) / MiB).toFixed(1)})`,
    `${(heapBefore / MiB).toFixed(1)} → ${(heapAfter / MiB).toFixed(1)} MiB (${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)} %)`,
    Math.abs(growth) <= 0.1 ? "yes" : "NO",
  ]);
}
printRows(
  "Runs of 10,000 trivial child tasks",
  [
    "run",
    "time",
    "per task",
    "peak RSS (over start)",
    "heap after GC, before → after",
    "within 10 %",
  ],
  rows,
);
