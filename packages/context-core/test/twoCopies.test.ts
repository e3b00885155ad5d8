/**
 * Two installed copies of the package (two module instances in one process) must share one
 * context, as two copies of @opentelemetry/api do.
 */
import type * as Core from "@flyte/context-core";

function loadCopy(): typeof Core {
  let copy!: typeof Core;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second module instance needs a fresh require
    copy = require("@flyte/context-core") as typeof Core;
  });
  return copy;
}

describe("two copies of @flyte/context-core", () => {
  it("are distinct module instances that share one context", async () => {
    const a = loadCopy();
    const b = loadCopy();
    expect(a.ContextVar).not.toBe(b.ContextVar);
    const t = new a.TaskContext({
      action: new a.ActionID({ name: "a0" }),
      version: "v",
      rawDataPath: new a.RawDataPath("/raw"),
      outputPath: "/o",
      runBaseDir: "/o",
    });
    await a
      .internalCtx()
      .replaceTaskContext(t)
      .run(async () => {
        await Promise.resolve();
        expect(b.ctx()).toBe(t);
        expect(b.internalCtx().data.taskContext).toBe(t);
      });
    expect(b.ctx()).toBeUndefined();
    expect(a.rootContextVar).toBe(b.rootContextVar);
  });
});
