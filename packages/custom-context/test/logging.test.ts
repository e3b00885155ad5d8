import { customContext, customContextLogFields, withCustomContext } from "@flyte/custom-context";
import { runRootTask, task } from "./support/taskHarness.js";

/** A console-like logger that keeps what it is given. */
class RecordingLogger {
  readonly lines: Array<{ level: string; args: unknown[] }> = [];
  level = "info";
  info(...args: unknown[]): void {
    this.lines.push({ level: "info", args });
  }
  warn(...args: unknown[]): void {
    this.lines.push({ level: "warn", args });
  }
  error(...args: unknown[]): void {
    this.lines.push({ level: "error", args });
  }
  child(): string {
    return "own child()";
  }
}

describe("customContextLogFields()", () => {
  it("is {} with no custom context", () => {
    expect(customContextLogFields()).toEqual({});
  });

  it("flattens the task's custom context under a prefix", async () => {
    await runRootTask(
      async () => {
        using _ = customContext({ increment: "1" });
        expect(customContextLogFields()).toEqual({
          "customContext.project": "p",
          "customContext.increment": "1",
        });
        expect(customContextLogFields({ prefix: "cc_" })).toEqual({
          cc_project: "p",
          cc_increment: "1",
        });
        expect(customContextLogFields({ prefix: "" })).toEqual({ project: "p", increment: "1" });
      },
      { project: "p" },
    );
  });

  it("outside a task shows the driver scopes in force", () => {
    using _ = customContext({ team: "ml" });
    expect(customContextLogFields()).toEqual({ "customContext.team": "ml" });
  });

  it("returns a new object each call", async () => {
    await runRootTask(async () => {
      using _ = customContext({ a: "1" });
      const f = customContextLogFields();
      f["customContext.a"] = "changed";
      expect(customContextLogFields()).toEqual({ "customContext.a": "1" });
    });
  });
});

describe("withCustomContext(logger)", () => {
  it("appends the fields in force when each line is logged", async () => {
    const sink = new RecordingLogger();
    const log = withCustomContext(sink); // wrapped once, outside any task
    log.info("no context");
    const child = task(async (i: number) => {
      log.warn("child", i);
    });
    await runRootTask(async () => {
      for (let i = 0; i < 2; i++) {
        using _ = customContext({ increment: String(i) });
        await child(i);
      }
      log.error("done");
    });
    expect(sink.lines).toEqual([
      { level: "info", args: ["no context"] },
      { level: "warn", args: ["child", 0, { "customContext.increment": "0" }] },
      { level: "warn", args: ["child", 1, { "customContext.increment": "1" }] },
      { level: "error", args: ["done"] },
    ]);
  });

  it("keeps the logger's other members and its `this`", () => {
    const sink = new RecordingLogger();
    const log = withCustomContext(sink, { prefix: "x." });
    expect(log.child()).toBe("own child()");
    expect(log.level).toBe("info");
    using _ = customContext({ a: "1" });
    log.info("m");
    expect(sink.lines).toEqual([{ level: "info", args: ["m", { "x.a": "1" }] }]);
  });
});
