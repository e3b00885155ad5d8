/** Arrow-function tasks, named by their exports (the bundle test minifies this file). */
import { TaskEnvironment } from "@flyte/sdk";

const env = new TaskEnvironment({ name: "arrows" });

export const boom = env.task(async (x: number) => x * 2);
export const named = env.task({ name: "explicit" }, async (x: number) => x + 1);
export const viaFunction = env.task(async function inner(x: number) {
  return x - 1;
});
/** Calls `boom` as a child: its name must be the export name in the child too. */
export const caller = env.task(async (x: number) => (await boom(x)) + (await named(x)));
