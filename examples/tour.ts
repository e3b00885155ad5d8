/**
 * The README's tour, runnable: `pnpm -C examples tour` (or `node --import tsx
 * --conditions=@flyte/source examples/tour.ts`). A test runs it, so the README cannot drift.
 */
import * as flyte from "@flyte/sdk";
import { readFile } from "node:fs/promises";

const env = new flyte.TaskEnvironment({ name: "tour" });

// Retried up to 3 times; every attempt resumes from the last checkpoint any earlier attempt saved.
export const useCheckpoint = env.task({ retries: 3 }, async function useCheckpoint(n: number) {
  const cp = flyte.ctx()!.checkpoint!;
  const path = await cp.load(); // undefined on a fresh start
  let index = path ? Number(await readFile(path, "utf8")) : 0;
  for (; index < n; index++) await cp.save(new TextEncoder().encode(`${index + 1}`));
  return index;
});

// Custom context: each child sees the values in force when it was called.
export const downstream = env.task(async function downstream(x: number) {
  return x + Number(flyte.getCustomContext().increment);
});
export const main = env.task(async function main(x: number) {
  const vals: number[] = [];
  for (let i = 0; i < 3; i++) {
    using _ = flyte.customContext({ increment: String(i) }); // Python's `with flyte.custom_context(...)`
    vals.push(await downstream(x));
  }
  return vals.reduce((a, b) => a + b, 0);
});

console.log(await flyte.run(useCheckpoint, 10)); // 10
console.log(await flyte.run(main, 1)); // 6
