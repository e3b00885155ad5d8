/**
 * A pipeline the resume tests kill with SIGKILL part-way and resume: five steps, each a child
 * action that appends a line to FLYTE_TEST_LOG when its body runs. Step `killIn` saves a
 * checkpoint half-way, then the whole runner is killed (FLYTE_TEST_KILL_IN, attempt 0 only).
 */
import { appendFileSync } from "node:fs";
import { z } from "zod";
import { TaskEnvironment, ctx } from "@flyte/sdk";
import { untilAborted } from "../support/untilAborted.js";

const env = new TaskEnvironment({ name: "durable" });

function log(line: string): void {
  const file = process.env["FLYTE_TEST_LOG"];
  if (file !== undefined) appendFileSync(file, `${line}\n`);
}

export const step = env.task(
  { name: "step", inputs: { i: z.int() }, output: z.int() },
  async ({ i }) => {
    const t = ctx()!;
    const cp = t.checkpoint!;
    const from = (await cp.loadJson<number>()) ?? 0;
    log(`step ${i} attempt ${t.attemptNumber} from ${from}`);
    for (let k = from; k < 4; k++) {
      await cp.saveJson(k + 1);
      if (k === 1 && String(i) === process.env["FLYTE_TEST_KILL_IN"] && t.attemptNumber === 0) {
        process.kill(process.pid, "SIGKILL");
      }
    }
    return i * 10;
  },
);

export const pipeline = env.task(
  { name: "pipeline", inputs: { n: z.int() }, output: z.int() },
  async ({ n }) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += await step({ i });
    log(`pipeline done ${sum}`);
    return sum;
  },
);

/** Waits until cancelled, for the Ctrl-C test: each child says it started. */
export const waiter = env.task({ name: "waiter", inputs: { i: z.int() } }, async ({ i }) => {
  log(`waiter ${i} started`);
  if (process.env["FLYTE_TEST_QUICK"] === "1") return;
  const signal = ctx()!.signal;
  // Real work keeps the process busy (a socket, a timer); a bare promise would let Node exit.
  const busy = setInterval(() => undefined, 1_000);
  try {
    await untilAborted(signal);
  } finally {
    clearInterval(busy);
  }
});

export const fanOut = env.task({ name: "fan_out", inputs: { n: z.int() } }, async ({ n }) => {
  await Promise.all(Array.from({ length: n }, (_, i) => waiter({ i })));
});
