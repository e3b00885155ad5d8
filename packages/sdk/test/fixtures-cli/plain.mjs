// A task module in plain JavaScript (no TypeScript, no build): `flyte run plain.mjs double --x 4`.
import { TaskEnvironment, ctx } from "@flyte/sdk";

export const env = new TaskEnvironment({ name: "plain_js" });

export const double = env.task(async function double(x, times = 2) {
  return { value: x * times, attempt: ctx().attemptNumber };
});
