/**
 * A task with declared types, as a Flyte cluster runs it next to Python tasks: its inputs and
 * output are zod schemas, so it takes `{ x, y }` typed as integers and returns an integer — on the
 * wire, the same literals a Python `def add_one(x: int, y: int) -> int` reads and writes.
 *
 *   flyte run examples/typedTask.ts addOne --x 3 --y 4                      # locally
 *   flyte-task --inputs inputs.pb --outputs-path out/ … examples/typedTask.ts addOne   # as Flyte runs it
 *
 * `pnpm -C examples like-flyte` writes an inputs.pb, runs flyte-task on it with the Python
 * runtime's flags and reads the outputs.pb back (see likeFlyte.ts).
 */
import { z } from "zod";
import { TaskEnvironment } from "@flyte/sdk";

export const env = new TaskEnvironment({ name: "my_env" });

export const addOne = env.task(
  { name: "add_one", inputs: { x: z.int(), y: z.int().default(0) }, output: z.int() },
  async ({ x, y }) => x + y + 1,
);

/** A record in, a record out: a Python dataclass or pydantic model on the other side (msgpack). */
export const describePoint = env.task(
  {
    name: "describe_point",
    inputs: { p: z.object({ x: z.number(), y: z.number(), label: z.string() }) },
    output: z.object({ norm: z.number(), label: z.string() }),
  },
  async ({ p }) => ({ norm: Math.hypot(p.x, p.y), label: p.label.toUpperCase() }),
);
