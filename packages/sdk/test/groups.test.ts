/**
 * `flyte.group(name)`: child calls made inside a group carry it in their action names, as the
 * Python SDK makes them, and in the run's events; both forms (scope and callback) and nesting.
 */
import { childActionName } from "@flyte/type-engine";

import { NotInTaskError, TaskEnvironment, ctx, group, init, withRunContext } from "../src/index.js";
import type { RunEvent } from "../src/index.js";

beforeAll(() => init({ rawDataPath: "memory://sdk-groups" }));

const env = new TaskEnvironment({ name: "groups" });
const leaf = env.task(async function leaf(n: number) {
  return { action: ctx()!.action.name, group: ctx()!.groupData?.name ?? null, n };
});

describe("flyte.group", () => {
  it("puts child calls in a group: in their names, their events, with the innermost group winning", async () => {
    const parent = env.task(async function grouped() {
      const out: Array<{ action: string; group: string | null }> = [];
      out.push(await leaf(1));
      {
        using _ = group("train");
        out.push(await leaf(1));
        out.push(await group("eval", () => leaf(1)));
      }
      out.push(await group("train", () => leaf(1)));
      return out;
    });
    const events: RunEvent[] = [];
    const seen = await withRunContext({ onEvent: (e) => events.push(e) }).run(parent);
    const starts = events.filter((e) => e.type === "attempt-start" && e.action !== "a0") as Array<
      Extract<RunEvent, { type: "attempt-start" }>
    >;
    expect(starts.map((e) => e.group ?? null)).toEqual([null, "train", "eval", "train"]);
    // Same task and inputs: the group alone makes the names differ; the same group twice is seq 1, 2.
    const names = seen.map((s) => s.action);
    expect(new Set(names).size).toBe(4);
    // A child does not inherit its caller's group for its own children.
    expect(seen.every((s) => s.group === null)).toBe(true);
    void childActionName;
  });

  it("refuses a group outside a running task, and a bad name", async () => {
    expect(() => group("x")).toThrow(NotInTaskError);
    const bad = env.task(async function badGroup() {
      group("");
    });
    await expect(withRunContext({}).run(bad)).rejects.toThrow(/group name/);
  });
});
