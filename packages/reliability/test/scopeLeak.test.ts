/**
 * A found limitation, kept as a test: `using _ = customContext(...)` entered in the synchronous
 * part of an async helper that then awaits leaks into the helper's caller, because the scope
 * is entered with AsyncLocalStorage's `enterWith` and the caller's continuation captured the
 * scoped frame (nodejs/node#45848). Python restores it (the coroutine shares its caller's
 * context). `it.failing` passes while the leak exists; when it is fixed, flip it to `it`.
 *
 * What does hold, and is asserted plainly: the leak never leaves the task: its caller, its
 * siblings and the run see nothing of it.
 */
import { TaskEnvironment, ctx, customContext, getCustomContext, init, run } from "@flyte/sdk";

beforeAll(() => init({ rawDataPath: "memory://reliability-scope-leak" }));

const env = new TaskEnvironment({ name: "leak" });

async function helperWithScope(): Promise<void> {
  using _ = customContext({ helper: "inner" });
  await new Promise((r) => setTimeout(r, 0));
}

const leaky = env.task(async function leaky() {
  await helperWithScope();
  return { ...getCustomContext() };
});

describe("a `using` scope inside an awaited async helper", () => {
  it.failing(
    "is restored when the helper returns (LIMITATION: it leaks into the caller)",
    async () => {
      await expect(run(leaky)).resolves.toEqual({});
    },
  );

  it("never leaks out of the task: the parent and the siblings called after it see nothing", async () => {
    const sibling = env.task(async function sibling() {
      return { ...getCustomContext() };
    });
    const parent = env.task(async function parent() {
      const inChild = await leaky();
      const afterChild = { ...getCustomContext() };
      const siblingSaw = await sibling();
      return { inChild, afterChild, siblingSaw, name: ctx()!.action.name };
    });
    const seen = await run(parent);
    expect(seen.inChild).toEqual({ helper: "inner" }); // the limitation, inside the task
    expect(seen.afterChild).toEqual({});
    expect(seen.siblingSaw).toEqual({});
    expect(seen.name).toBe("a0");
  });

  it("is restored with the callback form, the documented way for helpers", async () => {
    const safe = env.task(async function safe() {
      await customContext({ helper: "inner" }, async () => {
        await new Promise((r) => setTimeout(r, 0));
      });
      return { ...getCustomContext() };
    });
    await expect(run(safe)).resolves.toEqual({});
  });
});
