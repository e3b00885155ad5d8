import {
  ActionID,
  CheckpointPaths,
  Context,
  ContextData,
  ContextError,
  GroupData,
  RawDataPath,
  TaskContext,
  contextualRun,
  ctx,
  internalCtx,
  requireCtx,
  rootContextVar,
} from "@flyte/context-core";
import type { CheckpointLike } from "@flyte/context-core";

const moduleLevelCtx = ctx();

function makeTask(
  overrides: Partial<ConstructorParameters<typeof TaskContext>[0]> = {},
): TaskContext {
  return new TaskContext({
    action: new ActionID({ name: "a0", runName: "run1" }),
    version: "v1",
    rawDataPath: new RawDataPath("/tmp/raw"),
    outputPath: "/tmp/out/a0",
    runBaseDir: "/tmp/out",
    mode: "local",
    ...overrides,
  });
}

describe("ctx()", () => {
  it("is undefined at module level and in plain code", () => {
    expect(moduleLevelCtx).toBeUndefined();
    expect(ctx()).toBeUndefined();
    expect(() => requireCtx()).toThrow(expect.objectContaining({ code: "NOT_IN_TASK" }));
  });

  it("returns the task context inside replaceTaskContext(t).run(...)", async () => {
    const t = makeTask();
    await internalCtx()
      .replaceTaskContext(t)
      .run(async () => {
        expect(ctx()).toBe(t);
        await new Promise((r) => setTimeout(r, 1));
        expect(ctx()).toBe(t);
        expect(requireCtx()).toBe(t);
      });
    expect(ctx()).toBeUndefined();
  });

  it("returns the task context inside a using scope and restores the previous one after", () => {
    const outer = makeTask();
    const inner = makeTask({ attemptNumber: 1 });
    contextualRun(() => {
      {
        using _o = internalCtx().replaceTaskContext(outer).enter();
        expect(ctx()).toBe(outer);
        {
          using _i = internalCtx().replaceTaskContext(inner).enter();
          expect(ctx()).toBe(inner);
        }
        expect(ctx()).toBe(outer);
      }
      expect(ctx()).toBeUndefined();
    });
  });
});

describe("Context", () => {
  it("refuses to be made without ContextData", () => {
    expect(() => new Context(undefined as unknown as ContextData)).toThrow(
      expect.objectContaining({ code: "NO_CONTEXT_DATA" }),
    );
  });

  it("never mutates itself: replaceTaskContext and newRawDataPath return new contexts", () => {
    const base = new Context(new ContextData());
    const t = makeTask();
    const withTask = base.replaceTaskContext(t);
    expect(withTask).not.toBe(base);
    expect(base.isTaskContext()).toBe(false);
    expect(withTask.isTaskContext()).toBe(true);
    expect(Object.isFrozen(base)).toBe(true);
    expect(Object.isFrozen(base.data)).toBe(true);
  });

  describe(".rawData", () => {
    it("prefers the task context's path, then the context's, else throws a typed error", () => {
      const base = new Context(new ContextData());
      expect(base.hasRawData()).toBe(false);
      expect(() => base.rawData).toThrow(expect.objectContaining({ code: "NO_RAW_DATA_PATH" }));
      const withCtxPath = base.newRawDataPath(new RawDataPath("/ctx"));
      expect(withCtxPath.rawData.path).toBe("/ctx");
      const withTask = withCtxPath.replaceTaskContext(
        makeTask({ rawDataPath: new RawDataPath("/task") }),
      );
      expect(withTask.rawData.path).toBe("/task");
      expect(withTask.hasRawData()).toBe(true);
    });

    it("refuses an empty raw data path when it is made", () => {
      expect(() => new RawDataPath("")).toThrow(ContextError);
      expect(() => new RawDataPath("   ")).toThrow(/non-empty/);
    });
  });

  it("enter() handles are re-entrant and idempotent on dispose", () => {
    const c = internalCtx().replaceTaskContext(makeTask());
    contextualRun(() => {
      const h1 = c.enter();
      const h2 = c.enter();
      h2.exit();
      h2.exit();
      expect(ctx()).toBe(c.data.taskContext);
      h1[Symbol.dispose]();
      expect(ctx()).toBeUndefined();
    });
  });

  it("rootContextVar's default is an empty context", () => {
    expect(rootContextVar.get()).toBeInstanceOf(Context);
    expect(rootContextVar.get()!.isTaskContext()).toBe(false);
  });
});

describe("TaskContext", () => {
  it("is frozen, and so is its customContext", () => {
    const t = makeTask({ customContext: { a: "1" } });
    expect(Object.isFrozen(t)).toBe(true);
    expect(Object.isFrozen(t.customContext)).toBe(true);
    expect(() => {
      (t.customContext as Record<string, string>).a = "2";
    }).toThrow(TypeError);
  });

  it("copies the maps it is given, so the caller's object cannot change it", () => {
    const custom = { a: "1" };
    const t = makeTask({ customContext: custom });
    custom.a = "changed";
    expect(t.customContext.a).toBe("1");
  });

  it("replace() returns a new object that shares no map with the old one", () => {
    const t = makeTask({ customContext: { a: "1" }, data: { x: 1 } });
    const r = t.replace({ customContext: { ...t.customContext, b: "2" }, data: { y: 2 } });
    expect(r).not.toBe(t);
    expect(t.customContext).toEqual({ a: "1" });
    expect(r.customContext).toEqual({ a: "1", b: "2" });
    expect(r.data).toEqual({ x: 1, y: 2 });
    expect(t.data).toEqual({ x: 1 });
    expect(r.customContext).not.toBe(t.customContext);
  });

  it("refuses a bad attempt number and missing fields", () => {
    expect(() => makeTask({ attemptNumber: -1 })).toThrow(/attemptNumber/);
    expect(() => makeTask({ attemptNumber: 1.5 })).toThrow(ContextError);
    expect(() => makeTask({ action: undefined as unknown as ActionID })).toThrow(/needs action/);
    expect(() => makeTask({ customContext: { a: 1 as unknown as string } })).toThrow(
      /must be strings/,
    );
  });

  it("keeps attemptNumber fixed, whatever FLYTE_ATTEMPT_NUMBER says later", () => {
    const t = makeTask({ attemptNumber: 2 });
    process.env.FLYTE_ATTEMPT_NUMBER = "7";
    try {
      expect(t.attemptNumber).toBe(2);
    } finally {
      delete process.env.FLYTE_ATTEMPT_NUMBER;
    }
  });

  describe(".checkpoint", () => {
    const fakeCheckpointFor = (dest: string, src?: string): CheckpointLike => ({
      path: "/tmp/ws",
      remoteDestination: dest,
      remoteSource: src,
      prevExists: () => src !== undefined,
      load: async () => undefined,
      loadSync: () => undefined,
      save: async () => undefined,
      saveSync: () => undefined,
    });

    it("is undefined without a checkpoint path", () => {
      const factory = jest.fn((p: CheckpointPaths) => fakeCheckpointFor(p.checkpointPath!));
      expect(makeTask({ checkpointFactory: factory }).checkpoint).toBeUndefined();
      expect(
        makeTask({
          checkpointFactory: factory,
          checkpointPaths: new CheckpointPaths({ checkpointPath: "  " }),
        }).checkpoint,
      ).toBeUndefined();
      expect(factory).not.toHaveBeenCalled();
    });

    it("is built once, lazily, and shared by copies made with replace()", () => {
      const factory = jest.fn((p: CheckpointPaths) =>
        fakeCheckpointFor(p.checkpointPath!, p.prevCheckpointPath),
      );
      const t = makeTask({
        checkpointFactory: factory,
        checkpointPaths: new CheckpointPaths({
          checkpointPath: "memory://cp/1",
          prevCheckpointPath: '""',
        }),
      });
      expect(factory).not.toHaveBeenCalled();
      const cp = t.checkpoint;
      expect(cp?.remoteDestination).toBe("memory://cp/1");
      expect(cp?.remoteSource).toBeUndefined();
      expect(t.checkpoint).toBe(cp);
      expect(t.replace({ customContext: { k: "v" } }).checkpoint).toBe(cp);
      expect(factory).toHaveBeenCalledTimes(1);
      const nextAttempt = t.replace({
        attemptNumber: 1,
        checkpointPaths: new CheckpointPaths({
          checkpointPath: "memory://cp/2",
          prevCheckpointPath: "memory://cp/1",
        }),
      });
      expect(nextAttempt.checkpoint).not.toBe(cp);
      expect(nextAttempt.checkpoint?.remoteSource).toBe("memory://cp/1");
    });
  });
});

describe("value types", () => {
  it("CheckpointPaths treats empty, '\"\"' and {{...}} as absent", () => {
    for (const absent of [
      "",
      "   ",
      '""',
      "''",
      '"{{.prevCheckpointPrefix}}"',
      "{{ .x }}",
      "{{",
      "s3://b/{{.x}}/cp",
      null,
      undefined,
    ]) {
      expect(
        new CheckpointPaths({ prevCheckpointPath: absent }).prevCheckpointPath,
      ).toBeUndefined();
    }
    expect(new CheckpointPaths({ checkpointPath: " s3://b/k " }).checkpointPath).toBe("s3://b/k");
  });

  it("ActionID defaults runName to name and makes sub-actions in the same run", () => {
    const a = new ActionID({ name: "a0", project: "p", domain: "d" });
    expect(a.runName).toBe("a0");
    const sub = a.newSubAction("child");
    expect(sub).toMatchObject({ name: "child", runName: "a0", project: "p", domain: "d" });
    expect(ActionID.createRandom().name).toMatch(/^r[0-9a-z]{12}$/);
    expect(ActionID.createRandom().name).not.toBe(ActionID.createRandom().name);
    expect(() => new ActionID({ name: "" })).toThrow(ContextError);
  });

  it("RawDataPath.fromLocalFolder makes a temporary folder when none is given", () => {
    expect(RawDataPath.fromLocalFolder("/data").path).toBe("/data");
    expect(RawDataPath.fromLocalFolder().path).toMatch(/flyte-raw-/);
  });

  it("GroupData needs a name", () => {
    expect(new GroupData("g").name).toBe("g");
    expect(() => new GroupData("")).toThrow(ContextError);
  });
});

describe("TaskContext.withCustomContext()", () => {
  it("layers entries on top of the inherited map, building the merged map only when read", () => {
    const t = makeTask({ customContext: { a: "1", b: "2" } });
    const inner = t.withCustomContext(["b", "c"], ["20", "30"]);
    const innermost = inner.withCustomContext(["a"], ["100"]);
    expect(innermost.customContextValue("a")).toBe("100");
    expect(innermost.customContextValue("b")).toBe("20");
    expect(innermost.customContextValue("zzz")).toBeUndefined();
    expect(innermost.customContext).toEqual({ a: "100", b: "20", c: "30" });
    expect(Object.isFrozen(innermost.customContext)).toBe(true);
    expect(inner.customContext).toEqual({ a: "1", b: "20", c: "30" });
    expect(t.customContext).toEqual({ a: "1", b: "2" });
  });

  it("copies the arrays it is given and refuses non-strings", () => {
    const t = makeTask();
    const keys = ["k"];
    const values = ["v"];
    const inner = t.withCustomContext(keys, values);
    values[0] = "changed";
    expect(inner.customContext).toEqual({ k: "v" });
    expect(() => t.withCustomContext(["k"], [1 as unknown as string])).toThrow(ContextError);
    expect(() => t.withCustomContext(["k", "j"], ["v"])).toThrow(/as many values/);
  });

  it("shares the checkpoint, and replace() keeps the deferred layer", () => {
    const factory = jest.fn((p: CheckpointPaths): CheckpointLike => ({
      path: "/ws",
      remoteDestination: p.checkpointPath!,
      prevExists: () => false,
      load: async () => undefined,
      loadSync: () => undefined,
      save: async () => undefined,
      saveSync: () => undefined,
    }));
    const t = makeTask({
      checkpointFactory: factory,
      checkpointPaths: new CheckpointPaths({ checkpointPath: "memory://x/1" }),
    });
    const inner = t.withCustomContext(["k"], ["v"]);
    expect(inner.checkpoint).toBe(t.checkpoint);
    const replaced = inner.replace({ groupData: new GroupData("g") });
    expect(replaced.customContext).toEqual({ k: "v" });
    expect(replaced.checkpoint).toBe(t.checkpoint);
    expect(factory).toHaveBeenCalledTimes(1);
  });
});
