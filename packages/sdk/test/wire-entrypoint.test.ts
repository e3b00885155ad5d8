/**
 * `flyte-task` speaking Flyte's own wire: run as a Flyte 2 pod runs the Python runtime (its flags,
 * its variables, an inputs.pb the Python SDK wrote), checked by the Python-made oracle
 * (check_outputs.py): outputs.pb on success (0 bytes for none), error.pb with code, message, kind
 * and origin on a task failure — and exit 0 in both cases, as the backend reads error.pb only from
 * a pod that succeeded.
 */
import { copyFileSync, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import { ExitCode } from "../src/entrypoint/exitCodes.js";
import { flyteTask, SDK_DIR, tempDir } from "./fixtures-cli/runBin.js";
import { checker, VECTORS } from "./support/interop.js";

const WIRE_TASKS = join(SDK_DIR, "test", "fixtures-cli", "wireTasks.ts");

const POD_ENV = {
  RUN_NAME: "r1abc",
  ACTION_NAME: "a0",
  FLYTE_INTERNAL_EXECUTION_PROJECT: "proj",
  FLYTE_INTERNAL_EXECUTION_DOMAIN: "development",
  _U_ORG_NAME: "org",
};

/** The Python runtime's command line, as a task template emits it, on an inputs.pb. */
function podArgs(dir: string, inputs: string, task: string): string[] {
  return [
    "--inputs",
    inputs,
    "--outputs-path",
    join(dir, "out"),
    "--version",
    "v1",
    "--raw-data-path",
    join(dir, "raw"),
    "--checkpoint-path",
    join(dir, "ck", "1"),
    "--prev-checkpoint",
    '""',
    "--run-name",
    "{{.runName}}",
    "--name",
    "{{.actionName}}",
    "--run-start-time",
    "2026-08-21T10:00:00Z",
    WIRE_TASKS,
    task,
  ];
}

describe("flyte-task on the Python SDK's inputs.pb", () => {
  it("runs a declared task on ints.pb and writes outputs.pb the checker reads as {int: ...}", async () => {
    const dir = tempDir("wire-ints");
    const inputs = join(dir, "inputs.pb");
    copyFileSync(join(VECTORS, "inputs", "ints.pb"), inputs);
    const r = await flyteTask(podArgs(dir, inputs, "addOne"), {
      env: { ...POD_ENV, _U_RUN_BASE: join(dir, "meta") },
    });
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: ExitCode.OK });
    const check = checker(
      "outputs",
      join(dir, "out", "outputs.pb"),
      "--expect",
      JSON.stringify([["o0", { int: 3 - 7 + 1099511627776 }]]),
    );
    expect(check.out).toContain("RESULT: MATCH");
    expect(check.code).toBe(0);
    expect(existsSync(join(dir, "out", "error.pb"))).toBe(false);
  });

  it("keeps a whole-number float a float, and writes several outputs in order", async () => {
    const dir = tempDir("wire-floats");
    const inputs = join(dir, "inputs.pb");
    copyFileSync(join(VECTORS, "inputs", "floats.pb"), inputs);
    const r = await flyteTask(podArgs(dir, inputs, "floats"), {
      env: { ...POD_ENV, _U_RUN_BASE: join(dir, "meta") },
    });
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: ExitCode.OK });
    const check = checker(
      "outputs",
      join(dir, "out", "outputs.pb"),
      "--expect",
      JSON.stringify([
        ["o0", { float: 3.25 }],
        ["o1", { str: "2" }],
      ]),
    );
    expect(check.out).toContain("RESULT: MATCH");
  });

  it("writes an empty outputs.pb for a task without outputs", async () => {
    const dir = tempDir("wire-none");
    const inputs = join(dir, "inputs.pb");
    copyFileSync(join(VECTORS, "inputs", "no_inputs.pb"), inputs);
    const r = await flyteTask(podArgs(dir, inputs, "nothing"), {
      env: { ...POD_ENV, _U_RUN_BASE: join(dir, "meta") },
    });
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: ExitCode.OK });
    expect(statSync(join(dir, "out", "outputs.pb")).size).toBe(0);
  });

  it("writes error.pb for a task failure — code, message, RECOVERABLE, USER — and exits 0", async () => {
    const dir = tempDir("wire-error");
    const inputs = join(dir, "inputs.pb");
    // ints.pb has x = 3: give the task a negative x through --args instead.
    const r = await flyteTask(
      [
        ...podArgs(dir, join(VECTORS, "inputs", "no_inputs.pb"), "mustBePositive"),
        "--args",
        '{"x": -1}',
      ].filter(Boolean),
      {
        env: { ...POD_ENV, _U_RUN_BASE: join(dir, "meta") },
      },
    );
    void inputs;
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: ExitCode.OK });
    expect(existsSync(join(dir, "out", "outputs.pb"))).toBe(false);
    const check = checker(
      "error",
      join(dir, "out", "error.pb"),
      "--code",
      "ValueError",
      "--origin",
      "USER",
      "--kind",
      "RECOVERABLE",
      "--message",
      "x must be positive",
    );
    expect(check.out).toContain("RESULT: MATCH");
    // The same document as the Python runtime's own error_user.pb, byte for byte.
    expect(readFileSync(join(dir, "out", "error.pb"))).toEqual(
      readFileSync(join(VECTORS, "outputs", "error_user.pb")),
    );
  });

  it("marks a NonRecoverableError NON_RECOVERABLE", async () => {
    const dir = tempDir("wire-nonrec");
    const r = await flyteTask(
      [
        ...podArgs(dir, join(VECTORS, "inputs", "no_inputs.pb"), "neverAgain"),
        "--args",
        '{"x": 1}',
      ],
      {
        env: { ...POD_ENV, _U_RUN_BASE: join(dir, "meta") },
      },
    );
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: ExitCode.OK });
    const check = checker(
      "error",
      join(dir, "out", "error.pb"),
      "--code",
      "NonRecoverableError",
      "--origin",
      "USER",
      "--kind",
      "NON_RECOVERABLE",
    );
    expect(check.out).toContain("RESULT: MATCH");
  });

  it("exits non-zero, writing nothing, when the inputs are not an Inputs message", async () => {
    const dir = tempDir("wire-bad");
    const r = await flyteTask(podArgs(dir, join(VECTORS, "outputs", "expected.json"), "addOne"), {
      env: { ...POD_ENV, _U_RUN_BASE: join(dir, "meta") },
    });
    expect(r.code).toBe(ExitCode.IO_FAILED);
    expect(r.stderr).toMatch(/not a flyteidl2\.task\.Inputs file/);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("says what is wrong with an --inputs that is a folder or a device", async () => {
    const dir = tempDir("wire-odd");
    const folder = await flyteTask(podArgs(dir, dir, "addOne"), {
      env: { ...POD_ENV, _U_RUN_BASE: join(dir, "meta") },
    });
    expect(folder.code).toBe(ExitCode.IO_FAILED);
    expect(folder.stderr).toMatch(/is a directory/);
    const device = await flyteTask(podArgs(dir, "/dev/zero", "addOne"), {
      env: { ...POD_ENV, _U_RUN_BASE: join(dir, "meta") },
    });
    expect(device.code).toBe(ExitCode.IO_FAILED);
    expect(device.stderr).toMatch(/not a regular file/);
  });
});
