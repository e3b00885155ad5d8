/**
 * Found by this suite, now fixed and guarded: `using _ = customContext(...)` entered in the
 * synchronous part of an async helper that then awaits used to leak into the helper's caller,
 * because AsyncLocalStorage's `enterWith` had put the scoped frame into the caller's continuation
 * (nodejs/node#45848). A scope that spans an await is left everywhere when it ends, so the caller
 * sees the values of before, as in Python.
 *
 * Issue 14, item 7, with real SDK tasks: helpers run side by side with such a scope share it with
 * each other (`Promise.all`), which is refused with SCOPE_SHARED; `gather` and `contextual` run
 * them in branches of their own; and work started inside a block keeps its values after it.
 */
import {
  ContextError,
  TaskEnvironment,
  contextual,
  ctx,
  customContext,
  gather,
  getCustomContext,
  init,
  run,
} from "@flyte/sdk";

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
  it("is restored when the helper returns (it used to leak into the caller)", async () => {
    await expect(run(leaky)).resolves.toEqual({});
  });

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

describe("async helpers with a `using` scope, side by side (issue 14, item 7)", () => {
  const readChild = env.task(async function readChild() {
    return { ...getCustomContext() };
  });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  async function h(k: string, ms: number) {
    using _ = customContext({ [k]: "set" });
    await sleep(ms);
    return { own: { ...getCustomContext() }, child: await readChild() };
  }

  it("gather: each helper and the child tasks it calls see only its own scope", async () => {
    const parent = env.task(async function gathered() {
      return gather([() => h("A", 20), () => h("B", 5)] as const);
    });
    const [a, b] = await run(parent);
    expect(a).toEqual({ own: { A: "set" }, child: { A: "set" } });
    expect(b).toEqual({ own: { B: "set" }, child: { B: "set" } });
  });

  it("contextual: the wrapped helper is safe under plain Promise.all", async () => {
    const isolated = contextual(h);
    const parent = env.task(async function wrapped() {
      return Promise.all([isolated("A", 20), isolated("B", 5)]);
    });
    const [a, b] = await run(parent);
    expect(a.child).toEqual({ A: "set" });
    expect(b.child).toEqual({ B: "set" });
  });

  it("plain Promise.all over the bare helper fails the task with SCOPE_SHARED instead of mixing values", async () => {
    const parent = env.task(async function shared() {
      try {
        await Promise.all([h("A", 20), h("B", 5)]);
        return "no error";
      } catch (error) {
        return error instanceof ContextError ? error.code : String(error);
      }
    });
    await expect(run(parent)).resolves.toBe("SCOPE_SHARED");
  });

  it("a timer and an un-awaited promise started in a block keep its values after the block", async () => {
    const parent = env.task(async function later() {
      const pending: Array<Promise<Record<string, string>>> = [];
      {
        using _ = customContext({ stage: "eval" });
        pending.push(new Promise((r) => setTimeout(() => r({ ...getCustomContext() }), 10)));
        pending.push(
          (async () => {
            await sleep(10);
            return readChild();
          })(),
        );
      }
      return { after: { ...getCustomContext() }, late: await Promise.all(pending) };
    });
    await expect(run(parent)).resolves.toEqual({
      after: {},
      late: [{ stage: "eval" }, { stage: "eval" }],
    });
  });
});
