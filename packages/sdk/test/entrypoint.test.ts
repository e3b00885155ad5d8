/**
 * `flyte-task`, the container entrypoint, run as a container runs it: a subprocess with the
 * platform's flags and variables. Usage errors are also checked in-process (they happen before
 * any import), each with a marker proving the task module's top level never ran.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeError, decodeOutputs, encodeInputs, fromLiteral } from "@flyte/type-engine";
import { runEntrypoint } from "../src/entrypoint/runEntrypoint.js";
import { ExitCode } from "../src/entrypoint/exitCodes.js";
import { captureIo } from "./fixtures-cli/captureIo.js";
import { TASKS, flyteTask, tempDir } from "./fixtures-cli/runBin.js";

const BASE_ENV = {
  RUN_NAME: "run-7",
  ACTION_NAME: "a0",
  FLYTE_INTERNAL_EXECUTION_PROJECT: "flytesnacks",
  FLYTE_INTERNAL_EXECUTION_DOMAIN: "development",
  _U_ORG_NAME: "acme",
};

describe("flyte-task (subprocess)", () => {
  it("builds the TaskContext from flags and variables, flags winning, and writes outputs", async () => {
    const dir = tempDir("ep");
    const inputs = join(dir, "inputs.pb");
    writeFileSync(inputs, encodeInputs([], { team: "ml", from: "inputs" }));
    const r = await flyteTask(
      [
        "--name",
        "{{.actionName}}", // unsubstituted: ACTION_NAME is read instead
        "--project",
        "override-project",
        "--checkpoint-path",
        join(dir, "ck", "1"),
        "--prev-checkpoint",
        join(dir, "ck", "0"),
        "--raw-data-path",
        join(dir, "raw"),
        "--inputs",
        inputs,
        "--outputs-path",
        join(dir, "out"),
        "--run-start-time",
        "2026-01-02T03:04:05",
        "--version",
        "v42",
        TASKS,
        "describeContext",
      ],
      { env: { ...BASE_ENV, FLYTE_ATTEMPT_NUMBER: "2", _U_RUN_BASE: join(dir, "meta") } },
    );
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: ExitCode.OK });
    const expected = {
      runName: "run-7",
      action: "a0",
      project: "override-project",
      domain: "development",
      org: "acme",
      attemptNumber: 2,
      mode: "remote",
      version: "v42",
      rawDataPath: join(dir, "raw"),
      runBaseDir: join(dir, "meta"),
      outputPath: join(dir, "out"),
      checkpointPath: join(dir, "ck", "1"),
      prevCheckpointPath: join(dir, "ck", "0"),
      customContext: { team: "ml", from: "inputs" },
      scoped: { team: "ml", from: "inputs" },
      runStartTime: "2026-01-02T03:04:05.000Z",
    };
    expect(r.json()).toEqual({ result: expected });
    const outputs = decodeOutputs(readFileSync(join(dir, "out", "outputs.pb")));
    expect(outputs.map((o) => o.name)).toEqual(["o0"]);
    expect(fromLiteral(outputs[0]!.literal)).toEqual(expected);
    expect(r.stderr).toContain("flyte-task: cli_fixtures.describeContext as run-7/a0, attempt 2");
  });

  it("retries the way Flyte does: attempt 1 resumes from the checkpoint attempt 0 saved", async () => {
    const dir = tempDir("ep-resume");
    const env = { ...BASE_ENV, _U_RUN_BASE: join(dir, "meta") };
    const common = ["--raw-data-path", join(dir, "raw"), "--args", "[6, 3]"];
    const first = await flyteTask(
      [
        ...common,
        "-c",
        join(dir, "a0", "0", "ck"),
        "-p",
        '""',
        "-o",
        join(dir, "out0"),
        TASKS,
        "resumeLoop",
      ],
      { env: { ...env, FLYTE_ATTEMPT_NUMBER: "0" } },
    );
    // A task failure exits 0 once error.pb is written: Flyte reads error.pb from a pod that succeeded.
    expect(first.code).toBe(ExitCode.OK);
    expect(first.stderr).toContain("the task failed: Error: injected failure at 3");
    expect(decodeError(readFileSync(join(dir, "out0", "error.pb")))).toEqual({
      code: "Error",
      message: "injected failure at 3",
      kind: "RECOVERABLE",
      origin: "USER",
    });
    expect(readFileSync(join(dir, "a0", "0", "ck"), "utf8")).toBe("3");

    const second = await flyteTask(
      [
        ...common,
        "-c",
        join(dir, "a0", "1", "ck"),
        "-p",
        join(dir, "a0", "0", "ck"),
        "-o",
        join(dir, "out1"),
        TASKS,
        "resumeLoop",
      ],
      { env: { ...env, FLYTE_ATTEMPT_NUMBER: "1" } },
    );
    expect(second.code).toBe(ExitCode.OK);
    expect(second.json()).toEqual({ result: { start: 3, end: 6, attempt: 1 } });
    expect(second.stderr).toContain(`resuming from ${join(dir, "a0", "0", "ck")}`);
    expect(readFileSync(join(dir, "a0", "1", "ck"), "utf8")).toBe("6");
  });

  it("stops with exit 2 before user code on a bad or missing value, naming it", async () => {
    const dir = tempDir("ep-bad");
    const marker = join(dir, "imported");
    const env = { ...BASE_ENV, _U_RUN_BASE: join(dir, "meta"), FLYTE_TEST_MARKER: marker };
    const [missing, badAttempt] = await Promise.all([
      flyteTask([TASKS, "add"], { env: { ...env, RUN_NAME: "{{.runName}}", _U_ORG_NAME: '""' } }),
      flyteTask(["--args", "[1]", TASKS, "add"], { env: { ...env, FLYTE_ATTEMPT_NUMBER: "1.5" } }),
    ]);
    expect(missing.code).toBe(ExitCode.USAGE);
    expect(missing.stderr).toContain(
      "missing required values: --run-name (or RUN_NAME), --org (or _U_ORG_NAME)",
    );
    expect(badAttempt.code).toBe(ExitCode.USAGE);
    expect(badAttempt.stderr).toContain(
      'FLYTE_ATTEMPT_NUMBER must be a whole number ≥ 0 (0 on the first attempt), got "1.5"',
    );
    expect(missing.stdout + badAttempt.stdout).toBe("");
    expect(existsSync(marker)).toBe(false);
  });

  it("refuses --args the task cannot take, naming what is wrong (exit 2)", async () => {
    const env = { ...BASE_ENV, _U_RUN_BASE: tempDir("ep-args") };
    const extra = await flyteTask(["--args", "[1, 2, 3]", TASKS, "add"], { env });
    expect(extra.code).toBe(ExitCode.USAGE);
    expect(extra.stderr).toMatch(/takes 2 arguments, got 3 \(1 extra\)/);
    const notJson = await flyteTask(["--args", "[1", TASKS, "add"], { env });
    expect(notJson.code).toBe(ExitCode.USAGE);
    expect(notJson.stderr).toMatch(/--args must be JSON/);
    const object = await flyteTask(["--args", '{"x":1}', TASKS, "add"], { env });
    expect(object.code).toBe(ExitCode.USAGE);
    expect(object.stderr).toMatch(/--args must be a JSON array/);
  });

  it("exits 3 when the task module does not load", async () => {
    const r = await flyteTask([join(__dirname, "fixtures-cli", "throwsOnImport.ts"), "nothing"], {
      env: { ...BASE_ENV, _U_RUN_BASE: tempDir("ep-load") },
    });
    expect(r.code).toBe(ExitCode.LOAD_FAILED);
    expect(r.stderr).toContain("this module refuses to load");
  });
});

describe("flyte-task (in-process refusals, before any user code)", () => {
  async function entry(argv: string[], env: Record<string, string | undefined>) {
    const io = captureIo();
    const code = await runEntrypoint(argv, env, io);
    return { code, stdout: io.stdout, stderr: io.stderr };
  }

  it("refuses every bad input with its own message and exit code, and imports nothing", async () => {
    const dir = tempDir("ep-refusals");
    const marker = join(dir, "imported");
    process.env["FLYTE_TEST_MARKER"] = marker;
    const env = { ...BASE_ENV, _U_RUN_BASE: join(dir, "meta") };
    writeFileSync(join(dir, "notpb.json"), JSON.stringify({ args: [], bogus: 1 }));
    const cases: Array<[string[], Record<string, string | undefined>, number, RegExp]> = [
      [
        ["--attempt-number", "x", TASKS, "add"],
        env,
        ExitCode.USAGE,
        /--attempt-number must be a whole number/,
      ],
      [
        [TASKS, "add"],
        { ...env, _U_RUN_BASE: "" },
        ExitCode.USAGE,
        /--run-base-dir \(or _U_RUN_BASE\)/,
      ],
      [
        ["--custom-context", "not-a-pair", TASKS, "add"],
        env,
        ExitCode.USAGE,
        /--custom-context wants key=value/,
      ],
      [
        ["--custom-context", "__proto__=v", TASKS, "add"],
        env,
        ExitCode.USAGE,
        /--custom-context was refused: .*__proto__/,
      ],
      [
        ["--custom-context", "_u_x=v", TASKS, "add"],
        env,
        ExitCode.USAGE,
        /--custom-context was refused: .*reserved/,
      ],
      [
        ["-i", join(dir, "notpb.json"), TASKS, "add"],
        env,
        ExitCode.IO_FAILED,
        /not a flyteidl2\.task\.Inputs file/,
      ],
      [["-i", join(dir, "missing.pb"), TASKS, "add"], env, ExitCode.IO_FAILED, /does not exist/],
      [["-i", dir, TASKS, "add"], env, ExitCode.IO_FAILED, /is a directory/],
      [["-i", "/dev/zero", TASKS, "add"], env, ExitCode.IO_FAILED, /is not a regular file/],
      [
        ["-c", "nosuchscheme://b/k", TASKS, "add"],
        env,
        ExitCode.USAGE,
        /--checkpoint-path nosuchscheme:\/\/b\/k cannot be used/,
      ],
      [[TASKS], env, ExitCode.USAGE, /expected <module> <task>/],
      [[TASKS, "add", "extra", "more"], env, ExitCode.USAGE, /unexpected arguments "extra" "more"/],
      [[join(dir, "nope.ts"), "add"], env, ExitCode.LOAD_FAILED, /module not found/],
    ];
    try {
      for (const [argv, e, code, message] of cases) {
        const r = await entry(argv, e);
        expect({ argv, code: r.code }).toEqual({ argv, code });
        expect(r.stderr).toMatch(message);
        expect(r.stdout).toBe("");
      }
    } finally {
      delete process.env["FLYTE_TEST_MARKER"];
    }
    expect(existsSync(marker)).toBe(false);
  });

  it("prints the contract table with --help", async () => {
    const r = await entry(["--help"], {});
    expect(r.code).toBe(ExitCode.OK);
    for (const text of [
      "--checkpoint-path",
      "--prev-checkpoint",
      "[env FLYTE_ATTEMPT_NUMBER]",
      "[env _U_RUN_BASE]",
      "[env _U_ORG_NAME]",
    ]) {
      expect(r.stdout).toContain(text);
    }
  });
});
