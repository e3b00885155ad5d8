/**
 * Issue 14, item 7, as reported: async helpers that open `using _ = customContext(...)` and run
 * side by side, the child tasks they call, and work started inside a scope that outlives it.
 */
import { ContextError, contextual, gather } from "@flyte/context-core";
import { customContext, getCustomContext } from "@flyte/custom-context";
import { runRootTask, task } from "./support/taskHarness.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const readChild = task(async () => ({ ...getCustomContext() }));

/** The reporter's helper: a scope before the first await, then a child task call. */
async function h(k: string, ms: number) {
  using _ = customContext({ [k]: "set" });
  await sleep(ms);
  return { own: { ...getCustomContext() }, child: await readChild() };
}

describe("concurrent helpers with `using _ = customContext(...)`", () => {
  it("gather(): each helper and the children it calls see only its own scope", async () => {
    const [a, b] = await runRootTask(() => gather([() => h("A", 20), () => h("B", 5)] as const), {
      base: "1",
    });
    expect(a).toEqual({ own: { base: "1", A: "set" }, child: { base: "1", A: "set" } });
    expect(b).toEqual({ own: { base: "1", B: "set" }, child: { base: "1", B: "set" } });
  });

  it("contextual(h): plain Promise.all is safe once the helper is wrapped", async () => {
    const isolated = contextual(h);
    const [a, b] = await runRootTask(() => Promise.all([isolated("A", 20), isolated("B", 5)]));
    expect(a).toEqual({ own: { A: "set" }, child: { A: "set" } });
    expect(b).toEqual({ own: { B: "set" }, child: { B: "set" } });
  });

  it("the callback form is isolated as it always was", async () => {
    const cb = (k: string, ms: number) =>
      customContext({ [k]: "set" }, async () => {
        await sleep(ms);
        return { own: { ...getCustomContext() }, child: await readChild() };
      });
    const [a, b] = await runRootTask(() => Promise.all([cb("A", 20), cb("B", 5)]));
    expect(a).toEqual({ own: { A: "set" }, child: { A: "set" } });
    expect(b).toEqual({ own: { B: "set" }, child: { B: "set" } });
  });

  it("plain Promise.all over the bare helper is refused with a typed error naming the safe forms", async () => {
    const outcome = runRootTask(() => Promise.all([h("A", 20), h("B", 5)]));
    await expect(outcome).rejects.toBeInstanceOf(ContextError);
    await expect(runRootTask(() => Promise.all([h("A", 20), h("B", 5)]))).rejects.toMatchObject({
      code: "SCOPE_SHARED",
      message: expect.stringMatching(/gather\(\[/),
    });
  });

  it("the task body's own loop of scopes and sequential helper calls keep working, with nothing left behind", async () => {
    const seen = await runRootTask(async () => {
      const out: Array<Record<string, string>> = [];
      using _ = customContext({ outer: "o" });
      for (let i = 0; i < 3; i++) {
        using _i = customContext({ i: String(i) });
        out.push(await readChild());
        out.push((await h(`k${i}`, 1)).child);
        out.push({ ...getCustomContext() });
      }
      out.push({ ...getCustomContext() });
      return out;
    });
    expect(seen).toEqual([
      { outer: "o", i: "0" },
      { outer: "o", i: "0", k0: "set" },
      { outer: "o", i: "0" },
      { outer: "o", i: "1" },
      { outer: "o", i: "1", k1: "set" },
      { outer: "o", i: "1" },
      { outer: "o", i: "2" },
      { outer: "o", i: "2", k2: "set" },
      { outer: "o", i: "2" },
      { outer: "o" },
    ]);
  });
});

describe("work started inside a scope keeps its values after the block", () => {
  it("timers and un-awaited promises started in the block read the scope's values later (Python's call_later / create_task)", async () => {
    const seen = await runRootTask(
      async () => {
        const late: Array<Promise<Record<string, string>>> = [];
        {
          using _ = customContext({ stage: "eval" });
          late.push(
            new Promise((r) => setTimeout(() => r({ ...getCustomContext() }), 10)),
            (async () => {
              await sleep(10);
              return { ...getCustomContext() };
            })(),
          );
        }
        expect(getCustomContext()).toEqual({ base: "b" });
        return Promise.all(late);
      },
      { base: "b" },
    );
    expect(seen).toEqual([
      { base: "b", stage: "eval" },
      { base: "b", stage: "eval" },
    ]);
  });

  it("a child task called inside a scope that spans an await keeps the scope's values (snapshot at call)", async () => {
    const slowChild = task(
      async () => {
        await sleep(15);
        return { ...getCustomContext() };
      },
      () => 1,
    );
    const seen = await runRootTask(async () => {
      let pending!: Promise<Record<string, string>>;
      {
        using _ = customContext({ stage: "train" });
        pending = slowChild();
        await sleep(1);
      }
      expect(getCustomContext()).toEqual({});
      return pending;
    });
    expect(seen).toEqual({ stage: "train" });
  });
});
