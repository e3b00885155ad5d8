/**
 * The CLI as a user meets it: task arguments parsed by declared types (a bad value is a usage
 * error, exit 2, naming the input), `--version`, errors without stack traces, stdout that is
 * never cut short, results JSON cannot hold refused with exit 4, a task that calls
 * `process.exit` never passing for a success.
 */
import { join } from "node:path";

import { ExitCode } from "../src/entrypoint/exitCodes.js";
import { flyte, SDK_DIR, tempDir } from "./fixtures-cli/runBin.js";

const TYPED = join(SDK_DIR, "test", "fixtures-cli", "typedTasks.ts");

describe("flyte run with declared inputs", () => {
  const home = tempDir("typed");
  const run = (...args: string[]) =>
    flyte(["run", "--json", ...args], { env: { FLYTE_HOME: home } });

  it("parses each value by its declared type, defaults applying", async () => {
    const r = await run(TYPED, "loop", "--n", "007", "--scale", "2", "--on");
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: ExitCode.OK });
    expect(r.json()).toMatchObject({ ok: true, result: "x:7:14:true" });
    const dates = await run(TYPED, "when", "--at", "2026-01-02T03:04:05Z", "--tags", '["a","b"]');
    expect(dates.json()).toMatchObject({ ok: true, result: "2026-01-02T03:04:05.000Z a,b" });
  });

  it("refuses a value its type cannot take: exit 2, the input named, no stack", async () => {
    const r = await run(TYPED, "loop", "--n", "abc");
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toMatch(/--n wants an integer, got "abc"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.json()).toMatchObject({ ok: false, error: { exitCode: ExitCode.USAGE } });
    const unknown = await run(TYPED, "loop", "--m", "1");
    expect(unknown.code).toBe(ExitCode.USAGE);
    expect(unknown.stderr).toMatch(
      /unknown task input --m; the task takes --n, --label, --scale, --on/,
    );
    const single = await run(TYPED, "loop", "-n", "5");
    expect(single.code).toBe(ExitCode.USAGE);
    expect(single.stderr).toMatch(/unknown option -n \(task parameters take two dashes: --n\)/);
    const extra = await run(TYPED, "loop", "1", "a", "2", "true", "x", "y");
    expect(extra.code).toBe(ExitCode.USAGE);
    expect(extra.stderr).toMatch(/2 extra values: "x", "y"/);
  });

  it("names a missing task without a stack trace, --json included", async () => {
    const r = await run(TYPED, "nope");
    expect(r.code).toBe(ExitCode.LOAD_FAILED);
    expect(r.stderr).toMatch(/no task "nope"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.json()).toMatchObject({ ok: false, error: { name: "EntrypointError" } });
  });
});

describe("flyte run on a CommonJS task file", () => {
  it("runs custom-context scopes with two copies of the SDK loaded (the ESM CLI, the CommonJS file)", async () => {
    const r = await flyte(
      [
        "run",
        "--json",
        "-q",
        join(SDK_DIR, "test", "fixtures-cli", "cjsTasks.cjs"),
        "main",
        "--x",
        "1",
      ],
      {
        env: { FLYTE_HOME: tempDir("cjs") },
      },
    );
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: ExitCode.OK });
    expect(r.json()).toMatchObject({ ok: true, result: 6 });
  });
});

describe("flyte run output", () => {
  const home = tempDir("output");

  it("prints --version", async () => {
    const r = await flyte(["--version"]);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.stdout).toMatch(/^flyte \d+\.\d+\.\d+/);
  });

  it("writes a 200,000-character result whole through a pipe", async () => {
    const r = await flyte(["run", "--json", "-q", TYPED, "bigText", "--n", "200000"], {
      env: { FLYTE_HOME: home },
    });
    expect(r.code).toBe(ExitCode.OK);
    expect((r.json()["result"] as string).length).toBe(200_000);
  });

  it.each(["nan", "inf"])("refuses a result JSON cannot hold (%s): exit 4", async (kind) => {
    const r = await flyte(["run", "--json", "-q", TYPED, "notJson", "--kind", kind], {
      env: { FLYTE_HOME: home },
    });
    expect(r.code).toBe(ExitCode.IO_FAILED);
    expect(r.stderr).toMatch(/cannot be printed/);
    expect(r.json()).toMatchObject({ ok: false, error: { name: "ResultNotJson" } });
  });

  it("fails a task whose result cannot be stored at all (undefined in an array)", async () => {
    const r = await flyte(["run", "--json", "-q", TYPED, "notJson", "--kind", "hole"], {
      env: { FLYTE_HOME: home },
    });
    expect(r.code).toBe(ExitCode.TASK_FAILED);
    expect(r.stderr).toMatch(/undefined/);
  });

  it("never reports success for a task that calls process.exit(0)", async () => {
    const r = await flyte(["run", "-q", TYPED, "exitsEarly", "--code", "0"], {
      env: { FLYTE_HOME: home },
    });
    expect(r.code).toBe(ExitCode.TASK_FAILED);
    expect(r.stderr).toMatch(/called process\.exit\(0\) before the run finished/);
  });
});
