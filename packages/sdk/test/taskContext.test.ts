/**
 * What a task sees: its own ActionID (deterministic child names), custom context captured at the
 * call, run-level context precedence, and isolation between 10,000 concurrent children.
 */
import { createHash } from "node:crypto";
import {
  ContextVar,
  TaskEnvironment,
  childActionName,
  flyteTypes,
  inputsHash,
  taskHash,
  toLiteral,
  ctx,
  customContext,
  getCustomContext,
  init,
  run,
  withRunContext,
} from "../src/index.js";

beforeAll(() => init({ rawDataPath: "memory://sdk-context" }));

const env = new TaskEnvironment({ name: "ctx" });

describe("the seed's custom context example", () => {
  const downstreamTask = env.task(async function downstreamTask(x: number) {
    return x + Number(getCustomContext()["increment"]);
  });
  const main = env.task(async function main(x: number) {
    const vals: number[] = [];
    for (let i = 0; i < 3; i++) {
      using _ = customContext({ increment: String(i) });
      vals.push(await downstreamTask(x));
    }
    return vals.reduce((a, b) => a + b, 0);
  });

  it("sums three children that saw increments 0, 1, 2", async () => {
    await expect(run(main, 10)).resolves.toBe(10 + 11 + 12);
  });

  it("gives each child the values in force at its call, even under Promise.all", async () => {
    const parallel = env.task(async function parallelMain(x: number) {
      const calls = [0, 1, 2].map((i) =>
        customContext({ increment: String(i) }, () => downstreamTask(x)),
      );
      return Promise.all(calls);
    });
    await expect(run(parallel, 1)).resolves.toEqual([1, 2, 3]);
  });

  it("snapshots at the call: leaving the scope before the child runs changes nothing", async () => {
    const reader = env.task(async function lateReader() {
      await new Promise((r) => setTimeout(r, 2));
      return getCustomContext()["k"];
    });
    const parent = env.task(async function leavesEarly() {
      let pending: Promise<string | undefined>;
      {
        using _ = customContext({ k: "inside" });
        pending = reader();
      }
      using _outer = customContext({ k: "changed" });
      return pending;
    });
    await expect(run(parent)).resolves.toBe("inside");
  });
});

describe("run-level custom context", () => {
  const echo = env.task(async function echo() {
    return { ...ctx()!.customContext };
  });

  it("is the base of the run", async () => {
    await expect(withRunContext({ customContext: { a: "run" } }).run(echo)).resolves.toEqual({
      a: "run",
    });
  });

  it("ranks run-level < inherited < scoped", async () => {
    const nested = env.task(async function startsANestedRun() {
      using _ = customContext({ scoped: "task-scope", both: "task-scope" });
      return withRunContext({
        customContext: { runOnly: "run", both: "run", inherited: "run" },
      }).run(echo);
    });
    const seen = await withRunContext({ customContext: { inherited: "outer-run" } }).run(nested);
    expect(seen).toEqual({
      runOnly: "run",
      both: "task-scope",
      inherited: "outer-run",
      scoped: "task-scope",
    });
  });

  it("takes the scopes entered outside any task as the run's base, over the run-level values", async () => {
    using _ = customContext({ tenant: "acme", region: "scope" });
    const seen = await withRunContext({ customContext: { region: "run", tier: "run" } }).run(echo);
    expect(seen).toEqual({ tenant: "acme", region: "scope", tier: "run" });
  });

  it("is frozen and never aliases the caller's map", async () => {
    const values = { a: "1" };
    const mutate = env.task(async function mutate() {
      const map = ctx()!.customContext;
      expect(Object.isFrozen(map)).toBe(true);
      return map;
    });
    const seen = await withRunContext({ customContext: values }).run(mutate);
    values.a = "2";
    expect(seen).toEqual({ a: "1" });
  });

  it("is validated when given", () => {
    expect(() => withRunContext({ customContext: { _u_reserved: "x" } })).toThrow(/reserved/);
    expect(() => withRunContext({ customContext: { ok: 1 as unknown as string } })).toThrow(
      TypeError,
    );
  });
});

/** The default code version of a task: a hash of its function's source (32 hex digits). */
function taskVersion(task: { fn: (...args: never[]) => unknown }): string {
  return createHash("sha256")
    .update(Function.prototype.toString.call(task.fn))
    .digest("hex")
    .slice(0, 32);
}

describe("action IDs", () => {
  const leaf = env.task(async function leaf(_i: number) {
    const t = ctx()!;
    return `${t.action.runName}/${t.action.name}`;
  });
  const other = env.task(async function otherLeaf() {
    return ctx()!.action.name;
  });
  const tree = env.task(async function tree() {
    const first = [await leaf(0), await leaf(1)];
    const parallel = await Promise.all([leaf(2), leaf(3), other()]);
    return {
      root: ctx()!.action.name,
      names: [...first, ...parallel].map((n) => n.split("/").pop()!),
      first,
    };
  });

  it("name the root a0 and the children deterministically: same calls, same names, on every run", async () => {
    const a = await withRunContext({ name: "run-a" }).run(tree);
    const b = await withRunContext({ name: "run-b" }).run(tree);
    expect(a.root).toBe("a0");
    expect(a.names).toEqual(b.names);
    expect(a.first[0]).toBe(`run-a/${a.names[0]}`);
    expect(new Set(a.names).size).toBe(5); // distinct per call
    // The Python formula: base36(md5("<parent>-<inputs hash>-<task hash>-<seq>")), per call key.
    const leafHash = taskHash("ctx.leaf", leaf.interface.interfaceHash, taskVersion(leaf));
    const otherHash = taskHash("ctx.otherLeaf", other.interface.interfaceHash, taskVersion(other));
    const input = (i: number) =>
      inputsHash([{ name: "_i", literal: toLiteral(i, flyteTypes.any, "_i") }]);
    expect(a.names[0]).toBe(childActionName("a0", input(0), leafHash, 1));
    expect(a.names[1]).toBe(childActionName("a0", input(1), leafHash, 1));
    expect(a.names[4]).toBe(childActionName("a0", "", otherHash, 1));
  });

  it("set mode, raw data path and run start time for the task", async () => {
    const probe = env.task(async function probe() {
      const t = ctx()!;
      return { mode: t.mode, raw: t.rawDataPath.path, start: t.runStartTime, output: t.outputPath };
    });
    const seen = await withRunContext({ name: "probe-run" }).run(probe);
    expect(seen.mode).toBe("local");
    expect(seen.raw).toBe("memory://sdk-context/probe-run");
    expect(seen.output).toBe("memory://sdk-context/probe-run/a0");
    expect(seen.start).toBeInstanceOf(Date);
  });

  it("keep every one of 10,000 concurrent children to its own ActionID and custom context", async () => {
    const N = 10_000;
    const check = env.task(async function isolatedChild(i: number) {
      const before = ctx()!;
      // Interleave with the other children: microtasks, immediates and timers.
      if (i % 3 === 0) await new Promise((r) => setImmediate(r));
      else if (i % 3 === 1) await new Promise((r) => setTimeout(r, 0));
      else await Promise.resolve();
      const after = ctx()!;
      if (after !== before) throw new Error(`child ${i} sees another context after an await`);
      if (after.customContext["i"] !== String(i))
        throw new Error(`child ${i} sees custom context ${after.customContext["i"]}`);
      return after.action.name;
    });
    const fanOut = env.task(async function fanOut(n: number) {
      const calls: Array<Promise<string>> = [];
      for (let i = 0; i < n; i++) calls.push(customContext({ i: String(i) }, () => check(i)));
      return Promise.all(calls);
    });
    const names = await run(fanOut, N);
    expect(names).toHaveLength(N);
    expect(new Set(names).size).toBe(N);
  });

  it("leave other context variables of the caller visible, and a task's own sets inside it", async () => {
    const v = new ContextVar<string>("test.var", { default: "default" });
    const reads = env.task(async function readsVar() {
      const seen = v.get();
      v.set("set-in-child");
      return seen;
    });
    const outer = env.task(async function setsVar() {
      const first = await v.run("from-parent", () => reads());
      return { first, after: v.get() };
    });
    await expect(run(outer)).resolves.toEqual({ first: "from-parent", after: "default" });
  });
});
