/** The seed example of the issue, as written, in TypeScript. */
import { getCustomContext, customContext } from "@flyte/custom-context";
import { runRootTask, task } from "./support/taskHarness.js";

const downstreamTask = task(async (x: number): Promise<number> => {
  const increment = getCustomContext().increment;
  if (increment === undefined) throw new Error("no increment in the custom context");
  return x + Number.parseInt(increment, 10);
});

const mainTask = task(async (x: number): Promise<number> => {
  const vals: number[] = [];
  for (let i = 0; i < 3; i++) {
    using _ = customContext({ increment: String(i) });
    vals.push(await downstreamTask(x));
  }
  // Every scope of the loop has ended: nothing of it is left.
  expect(getCustomContext()).toEqual({ project: "seed" });
  return vals.reduce((a, b) => a + b, 0);
});

describe("the seed example", () => {
  it("sums three children that saw increments 0, 1 and 2", async () => {
    const result = await runRootTask(() => mainTask(10), { project: "seed" });
    expect(result).toBe(10 + 11 + 12);
  });

  it("gives each child the increment in force when it was called, even with the calls in flight together", async () => {
    const seen = await runRootTask(async () => {
      const calls: Array<Promise<Record<string, string>>> = [];
      const read = task(async () => ({ ...getCustomContext() }));
      for (let i = 0; i < 3; i++) {
        using _ = customContext({ increment: String(i) });
        calls.push(read());
      }
      return Promise.all(calls);
    });
    expect(seen).toEqual([{ increment: "0" }, { increment: "1" }, { increment: "2" }]);
  });
});
