/**
 * A run that keeps finished work finished: five steps, each a child action that checkpoints as
 * it goes. `pnpm demo` kills the whole runner (SIGKILL) in the middle of step 2, then resumes the
 * run with `flyte run --resume`: steps 0 and 1 are reused (their outputs.pb are stored), step 2
 * starts a new attempt from its last checkpoint, steps 3 and 4 run.
 *
 *   flyte run --run-name my-run examples/durablePipeline.ts pipeline --n 5
 *   flyte run --resume my-run examples/durablePipeline.ts pipeline --n 5
 */
import { z } from "zod";
import { TaskEnvironment, ctx } from "@flyte/sdk";

export const env = new TaskEnvironment({ name: "durable_pipeline" });

export const step = env.task(
  { name: "step", inputs: { i: z.int() }, output: z.int() },
  async ({ i }) => {
    const t = ctx()!;
    const cp = t.checkpoint!;
    let k = (await cp.loadJson<number>()) ?? 0;
    for (; k < 4; k++) {
      await new Promise((r) => setTimeout(r, 20)); // a unit of real work
      await cp.saveJson(k + 1);
      // The demo's crash: the whole process dies half-way through step `FLYTE_DEMO_KILL_IN`.
      if (k === 1 && String(i) === process.env["FLYTE_DEMO_KILL_IN"] && t.attemptNumber === 0) {
        process.kill(process.pid, "SIGKILL");
      }
    }
    return i * i;
  },
);

export const pipeline = env.task(
  { name: "pipeline", inputs: { n: z.int() }, output: z.int() },
  async ({ n }) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += await step({ i });
    return sum;
  },
);
