/**
 * The seed's checkpoint example, in TypeScript: a loop that loads an index, works, and saves
 * `index + 1` after every iteration. The first attempt fails mid-way (an injected fault), and the
 * retry — attempt 1 — resumes from the checkpoint attempt 0 saved instead of starting over.
 *
 *   flyte run examples/checkpointLoop.ts useCheckpoint --n-iterations 10 --fail-at 6
 */
import { readFile } from "node:fs/promises";
import { TaskEnvironment, ctx } from "@flyte/sdk";

export const env = new TaskEnvironment({ name: "checkpoint_loop" });

export const useCheckpoint = env.task(
  { retries: 3 },
  async function useCheckpoint(nIterations = 10, failAt = 6): Promise<number> {
    const tctx = ctx()!;
    const checkpoint = tctx.checkpoint!;

    // Load previous state if it exists: load() gives a local file named "payload" for bytes.
    const path = await checkpoint.load();
    let index = path === undefined ? 0 : Number(await readFile(path, "utf8"));

    for (; index < nIterations; index++) {
      if (tctx.attemptNumber === 0 && index === failAt) {
        throw new Error(`injected failure at iteration ${index} (attempt ${tctx.attemptNumber})`);
      }
      await work(index);
      // Save state for the next attempt.
      await checkpoint.save(new TextEncoder().encode(`${index + 1}`));
    }
    return index;
  },
);

/** Stands in for a real step of work (a training epoch, a batch of records…). */
async function work(index: number): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  void index;
}
