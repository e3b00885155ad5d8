/**
 * Tasks with declared types, run by the wire tests as Flyte runs them (`flyte-task` with the
 * Python runtime's flags on an inputs.pb) and as local runs whose action store is checked
 * against the Python SDK's vectors.
 */
import { appendFileSync } from "node:fs";
import { z } from "zod";
import { NonRecoverableError, TaskEnvironment, customContext, group } from "@flyte/sdk";

const env = new TaskEnvironment({ name: "my_env" });

/** The task of the vectors' task-identity example: my_env.add_one, version fnbody-1234. */
export const addOne = env.task(
  {
    name: "add_one",
    version: "fnbody-1234",
    inputs: { x: z.int(), y: z.int(), big: z.int() },
    output: z.int(),
  },
  async ({ x, y, big }) => {
    const log = process.env["FLYTE_TEST_LOG"];
    if (log !== undefined) appendFileSync(log, `add_one ${x} ${y} ${big}\n`);
    return x + y + big;
  },
);

/** ints.pb's inputs, three calls: seq 1 and 2, then seq 1 in group g1 — the names of action_names.json. */
export const callsAddOne = env.task(
  { name: "calls_add_one", output: z.array(z.int()) },
  async () => {
    using _ = customContext({ increment: "1", trace: "abc" });
    const a = await addOne({ x: 3, y: -7, big: 1099511627776 });
    const b = await addOne({ x: 3, y: -7, big: 1099511627776 });
    const c = await group("g1", () => addOne({ x: 3, y: -7, big: 1099511627776 }));
    return [a, b, c];
  },
);

/** A Python ValueError's twin: the error.pb code is the class name. */
export class ValueError extends Error {
  override readonly name = "ValueError";
}

export const mustBePositive = env.task(
  { name: "must_be_positive", inputs: { x: z.int() }, output: z.int() },
  async ({ x }) => {
    if (x <= 0) throw new ValueError("x must be positive");
    return x;
  },
);

export const neverAgain = env.task(
  { name: "never_again", inputs: { x: z.int() } },
  async ({ x }) => {
    throw new NonRecoverableError(`no retry for ${x}`);
  },
);

/** Floats stay floats: 2.0 in, 2.0 * 2 out, typed float (o0) — and a whole list of strings. */
export const floats = env.task(
  {
    name: "floats",
    inputs: { f: z.number(), g: z.number(), whole: z.number() },
    outputs: [z.number(), z.string()],
  },
  async ({ f, g, whole }) => [f + g + whole, `${whole}`] as [number, string],
);

/** Declares no inputs and no outputs: an empty outputs.pb. */
export const nothing = env.task({ name: "nothing", inputs: {} }, async () => {});
