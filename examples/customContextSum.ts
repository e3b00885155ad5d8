/**
 * The seed's custom context example, in TypeScript: `main` calls `downstreamTask` three times,
 * each inside a scope that sets `increment`; every child reads its own value and `main` sums
 * what they return. With x = 1: (1 + 0) + (1 + 1) + (1 + 2) = 6.
 *
 *   flyte run examples/customContextSum.ts main --x 1
 */
import { TaskEnvironment, customContext, getCustomContext } from "@flyte/sdk";

export const env = new TaskEnvironment({ name: "custom_context" });

export const downstreamTask = env.task(async function downstreamTask(x: number): Promise<number> {
  const increment = Number(getCustomContext()["increment"] ?? "0");
  return x + increment;
});

export const main = env.task(async function main(x: number): Promise<number> {
  const vals: number[] = [];
  for (let i = 0; i < 3; i++) {
    // Injects 'increment' into the context of downstreamTask; leaving the block restores it.
    using _ = customContext({ increment: String(i) });
    vals.push(await downstreamTask(x));
  }
  return vals.reduce((a, b) => a + b, 0);
});
