/** Tasks with declared inputs, and ones whose results JSON cannot hold, for the CLI tests. */
import { z } from "zod";
import { TaskEnvironment, types } from "@flyte/sdk";

const env = new TaskEnvironment({ name: "typed" });

export const loop = env.task(
  {
    name: "loop",
    inputs: {
      n: z.int(),
      label: z.string().default("x"),
      scale: z.number().default(1),
      on: z.boolean().default(false),
    },
    output: z.string(),
  },
  async ({ n, label, scale, on }) => `${label}:${n}:${n * scale}:${on}`,
);

export const when = env.task(
  { name: "when", inputs: { at: types.datetime(), tags: z.array(z.string()) }, output: z.string() },
  async ({ at, tags }) => `${at.toISOString()} ${tags.join(",")}`,
);

export const bigText = env.task(
  { name: "big_text", inputs: { n: z.int() }, output: z.string() },
  async ({ n }) => "x".repeat(n),
);

export const notJson = env.task(async function notJson(kind: string) {
  if (kind === "nan") return Number.NaN;
  if (kind === "inf") return Number.POSITIVE_INFINITY;
  if (kind === "hole") return [1, undefined, 3];
  return { ok: true };
});

export const exitsEarly = env.task(async function exitsEarly(code: number) {
  process.exit(code);
});
