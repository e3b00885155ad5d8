/**
 * Defining tasks: names, options, the environment registry, lookups by name, and what calling a
 * task does outside any run (an implicit local run).
 */
import {
  RawDataPath,
  TaskContext,
  ActionID,
  TaskDefinitionError,
  TaskEnvironment,
  TaskFailedError,
  TaskNotFoundError,
  ctx,
  findTask,
  init,
  isTask,
  listTasks,
  run,
  runTaskInContext,
} from "../src/index.js";
import type { Task } from "../src/index.js";

beforeAll(() => init({ rawDataPath: "memory://sdk-env" }));

describe("TaskEnvironment", () => {
  it("needs a valid name and known options", () => {
    expect(() => new TaskEnvironment({ name: "" })).toThrow(TaskDefinitionError);
    expect(() => new TaskEnvironment({ name: "has space" })).toThrow(/letters, digits/);
    expect(() => new TaskEnvironment(undefined as never)).toThrow(TaskDefinitionError);
    expect(() => new TaskEnvironment({ name: "ok", image: "x" } as never)).toThrow(
      /no option "image"/,
    );
    expect(() => new TaskEnvironment({ name: "ok", isolation: "thread" as never })).toThrow(
      /isolation/,
    );
  });

  it("makes tasks that keep the function's name and types", async () => {
    const env = new TaskEnvironment({ name: "types" });
    const add = env.task(async function add(x: number, y = 2) {
      return x + y;
    });
    const shout = env.task({ retries: 1 }, function shout(s: string): string {
      return s.toUpperCase();
    });
    // Compile-time checks: parameters and awaited result types are kept.
    const typed: Task<[x: number, y?: number], number> = add;
    const typedShout: (s: string) => Promise<string> = shout;
    // @ts-expect-error a string is not a number
    void (() => add("1"));

    expect(add.name).toBe("add");
    expect(add.fullName).toBe("types.add");
    expect(shout.options.retries).toEqual({ count: 1 });
    expect(add.options.isolation).toBe("none");
    expect(add.environment).toBe(env);
    expect(isTask(add)).toBe(true);
    expect(isTask(() => 1)).toBe(false);
    await expect(typed(1)).resolves.toBe(3);
    await expect(typedShout("hi")).resolves.toBe("HI");
  });

  it("applies the environment's defaults, which a task's options override", () => {
    const env = new TaskEnvironment({ name: "defaults", retries: 4 });
    const a = env.task(async function inherits() {});
    const b = env.task({ retries: 0 }, async function overrides() {});
    expect(a.options.retries.count).toBe(4);
    expect(b.options.retries.count).toBe(0);
  });

  it("supports the curried form, refusing bad options at once", () => {
    const env = new TaskEnvironment({ name: "curried" });
    const withRetries = env.task({ retries: 2 });
    const t = withRetries(async function curried() {
      return 1;
    });
    expect(t.options.retries.count).toBe(2);
    expect(() => env.task({ retries: -1 })).toThrow(TaskDefinitionError);
  });

  it("refuses anonymous functions without a name, duplicates and unknown options", () => {
    const env = new TaskEnvironment({ name: "refusals" });
    // An arrow function with no name is refused when its name is needed, saying how to name it.
    const anonymous = env.task((async () => 1) as () => Promise<number>);
    expect(() => anonymous.name).toThrow(/has no name/);
    const named = env.task({ name: "given" }, async () => 1);
    expect(named.name).toBe("given");
    env.task(async function once() {});
    expect(() => env.task(async function once() {})).toThrow(/already has a task named "once"/);
    expect(() => env.task({ retry: 3 } as never, async function typo() {})).toThrow(
      /no option "retry"/,
    );
    expect(() => env.task({ module: "relative/path.ts" }, async function badModule() {})).toThrow(
      /module/,
    );
    expect(() => env.task({}, 42 as never)).toThrow(/needs a function/);
  });

  it("keeps a registry of its tasks", () => {
    const env = new TaskEnvironment({ name: "registry" });
    const a = env.task(async function first() {});
    const b = env.task(async function second() {});
    expect([...env.tasks.keys()]).toEqual(["first", "second"]);
    expect(env.getTask("first")).toBe(a);
    expect(env.getTask("second")).toBe(b);
    expect(env.getTask("third")).toBeUndefined();
  });
});

describe("findTask", () => {
  const env = new TaskEnvironment({ name: "lookup" });
  const alpha = env.task(async function alpha() {});
  const beta = env.task({ name: "betaTask" }, async function beta() {});
  const moduleNamespace = { alpha, renamed: beta, helper: () => 1, value: 3 };

  it("finds a task by export name, task name or full name", () => {
    expect(findTask(moduleNamespace, "alpha")).toBe(alpha);
    expect(findTask(moduleNamespace, "renamed")).toBe(beta);
    expect(findTask(moduleNamespace, "betaTask")).toBe(beta);
    expect(findTask(moduleNamespace, "lookup.betaTask")).toBe(beta);
    expect([...listTasks(moduleNamespace).keys()]).toEqual(["alpha", "renamed"]);
  });

  it("says what the module has when the task is missing", () => {
    expect(() => findTask(moduleNamespace, "gamma")).toThrow(TaskNotFoundError);
    expect(() => findTask(moduleNamespace, "gamma")).toThrow(/exports: alpha, renamed/);
    expect(() => findTask({ x: 1 }, "gamma")).toThrow(/exports no tasks/);
  });
});

describe("calling a task", () => {
  const env = new TaskEnvironment({ name: "calling" });
  const whoAmI = env.task(async function whoAmI() {
    const t = ctx()!;
    return { action: t.action.name, mode: t.mode, run: t.action.runName };
  });

  it("outside any run starts an implicit local run, like flyte.run", async () => {
    expect(ctx()).toBeUndefined();
    const direct = await whoAmI();
    const viaRun = await run(whoAmI);
    expect(direct.action).toBe("a0");
    expect(direct.mode).toBe("local");
    expect(viaRun.action).toBe("a0");
    expect(direct.run).not.toBe(viaRun.run); // each call is its own run
    expect(ctx()).toBeUndefined();
  });

  it("outside any run still retries and fails with the attempt history", async () => {
    let calls = 0;
    const flaky = env.task({ retries: 1 }, async function flakyOutside() {
      calls++;
      throw new Error("nope");
    });
    const error = (await flaky().catch((e: unknown) => e)) as TaskFailedError;
    expect(calls).toBe(2);
    expect(error).toBeInstanceOf(TaskFailedError);
  });

  it("as task.fn runs the bare function: no context, no retries", async () => {
    await expect(Promise.resolve(whoAmI.fn())).rejects.toThrow(TypeError); // ctx() is undefined
  });

  it("inside a task runs it as a child action", async () => {
    const parent = env.task(async function parentCaller() {
      return { parent: ctx()!.action.name, run: ctx()!.action.runName, child: await whoAmI() };
    });
    const seen = await run(parent);
    expect(seen.parent).toBe("a0");
    expect(seen.child.action).not.toBe("a0");
    expect(seen.child.run).toBe(seen.run); // same run, not an implicit new one
  });

  it("rejects (never throws synchronously) when the run cannot start", async () => {
    const p = run(42 as never);
    await expect(p).rejects.toThrow(TaskDefinitionError);
  });
});

describe("runTaskInContext", () => {
  const env = new TaskEnvironment({ name: "incontext" });
  const child = env.task(async function leafInContext(x: number) {
    return `${ctx()!.action.name}:${x}`;
  });
  const body = env.task(async function bodyInContext(x: number) {
    const t = ctx()!;
    return { attempt: t.attemptNumber, action: t.action.name, child: await child(x) };
  });

  it("runs the body once in the given TaskContext, children under it", async () => {
    const tctx = new TaskContext({
      action: new ActionID({ name: "a7", runName: "remote-run" }),
      version: "v1",
      rawDataPath: new RawDataPath("memory://sdk-env/remote"),
      outputPath: "memory://sdk-env/remote/a7",
      runBaseDir: "memory://sdk-env/remote",
      mode: "remote",
      attemptNumber: 2,
    });
    const seen = await runTaskInContext(body, tctx, [5]);
    expect(seen.attempt).toBe(2);
    expect(seen.action).toBe("a7");
    expect(seen.child).toMatch(/^[0-9a-z]+:5$/);
    expect(ctx()).toBeUndefined();
  });

  it("returns the body's error unchanged (the caller owns the attempt)", async () => {
    const fails = env.task(async function failsInContext() {
      throw new SyntaxError("raw");
    });
    const tctx = new TaskContext({
      action: new ActionID({ name: "a1", runName: "r" }),
      version: "v",
      rawDataPath: new RawDataPath("memory://sdk-env/r"),
      outputPath: "memory://sdk-env/r/a1",
      runBaseDir: "memory://sdk-env/r",
    });
    await expect(runTaskInContext(fails, tctx, [])).rejects.toThrow(SyntaxError);
  });
});
