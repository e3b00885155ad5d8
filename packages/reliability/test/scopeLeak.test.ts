/**
 * Found by this suite, now fixed and guarded: `using _ = customContext(...)` entered in the
 * synchronous part of an async helper that then awaits used to leak into the helper's caller,
 * because AsyncLocalStorage's `enterWith` had put the scoped frame into the caller's continuation
 * (nodejs/node#45848). Scopes are now `ContextVar.enter()` frames that turn transparent when the
 * scope exits, so the caller sees the values of before, as in Python.
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
  it(
    "is restored when the helper returns (it used to leak into the caller)",
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
    expect(seen.inChild).toEqual({});
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
