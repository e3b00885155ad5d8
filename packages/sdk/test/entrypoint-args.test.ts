import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ENTRYPOINT_FLAGS } from "../src/entrypoint/entrypointFlags.js";
import { parseEntrypointArgs } from "../src/entrypoint/parseEntrypointArgs.js";
import { parseAttemptNumber } from "../src/entrypoint/parseAttemptNumber.js";
import { parseRunStartTime, EPOCH } from "../src/entrypoint/parseRunStartTime.js";
import { EntrypointError } from "../src/entrypoint/EntrypointError.js";
import { ExitCode } from "../src/entrypoint/exitCodes.js";
import type { EntrypointConfig } from "../src/entrypoint/EntrypointConfig.js";

const ENV = {
  RUN_NAME: "r1",
  ACTION_NAME: "a0",
  FLYTE_INTERNAL_EXECUTION_PROJECT: "proj",
  FLYTE_INTERNAL_EXECUTION_DOMAIN: "dev",
  _U_ORG_NAME: "org",
  _U_RUN_BASE: "s3://bucket/meta/r1",
};

function config(argv: string[], env: Record<string, string | undefined> = ENV): EntrypointConfig {
  const req = parseEntrypointArgs(argv, env);
  if (req.kind !== "run") throw new Error("expected a run request");
  return req.config;
}

function refusal(argv: string[], env: Record<string, string | undefined> = ENV): EntrypointError {
  try {
    parseEntrypointArgs(argv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(EntrypointError);
    return err as EntrypointError;
  }
  throw new Error("expected a refusal");
}

describe("parseEntrypointArgs", () => {
  it("reads identity from the environment and paths from flags", () => {
    const c = config([
      "-c",
      "s3://b/ck/1",
      "--prev-checkpoint",
      "s3://b/ck/0",
      "-r",
      "s3://b/raw",
      "mod.ts",
      "main",
    ]);
    expect(c).toMatchObject({
      modulePath: "mod.ts",
      taskName: "main",
      runName: "r1",
      actionName: "a0",
      project: "proj",
      domain: "dev",
      org: "org",
      runBaseDir: "s3://bucket/meta/r1",
      attemptNumber: 0,
      version: "na",
      rawDataPath: "s3://b/raw",
      checkpointPath: "s3://b/ck/1",
      prevCheckpointPath: "s3://b/ck/0",
    });
    expect(c.runStartTime).toEqual(EPOCH);
  });

  it("lets a flag beat its variable", () => {
    const c = config(
      [
        "--run-name",
        "flagrun",
        "--name",
        "a7",
        "--project",
        "p2",
        "--attempt-number",
        "2",
        "m.js",
        "t",
      ],
      {
        ...ENV,
        FLYTE_ATTEMPT_NUMBER: "5",
      },
    );
    expect([c.runName, c.actionName, c.project, c.attemptNumber]).toEqual([
      "flagrun",
      "a7",
      "p2",
      2,
    ]);
  });

  it.each([["" as string], ['""'], ["''"], ["{{.runName}}"], ["  "]])(
    "treats %j as absent, falling back to the variable",
    (v) => {
      expect(config(["--run-name", v, "m.js", "t"]).runName).toBe("r1");
      expect(config(["--prev-checkpoint", v, "m.js", "t"]).prevCheckpointPath).toBeUndefined();
    },
  );

  it("reads FLYTE_ATTEMPT_NUMBER once, as a whole number", () => {
    expect(config(["m.js", "t"], { ...ENV, FLYTE_ATTEMPT_NUMBER: "3" }).attemptNumber).toBe(3);
    expect(config(["m.js", "t"], { ...ENV, FLYTE_ATTEMPT_NUMBER: '""' }).attemptNumber).toBe(0);
    const e = refusal(["m.js", "t"], { ...ENV, FLYTE_ATTEMPT_NUMBER: "1.5" });
    expect(e.source).toBe("FLYTE_ATTEMPT_NUMBER");
    expect(e.exitCode).toBe(ExitCode.USAGE);
    expect(e.message).toMatch(/FLYTE_ATTEMPT_NUMBER must be a whole number/);
    expect(refusal(["--attempt-number=-1", "m.js", "t"]).source).toBe("--attempt-number");
  });

  it("names every missing required value, flag and variable", () => {
    const e = refusal(["m.js", "t"], { ...ENV, RUN_NAME: "{{.runName}}", _U_ORG_NAME: undefined });
    expect(e.message).toContain("--run-name (or RUN_NAME)");
    expect(e.message).toContain("--org (or _U_ORG_NAME)");
    expect(e.message).not.toContain("--name");
    expect(e.exitCode).toBe(ExitCode.USAGE);
  });

  it("wants a module and a task, and nothing else", () => {
    expect(refusal([]).source).toBe("<module>");
    expect(refusal(["m.js"]).source).toBe("<task>");
    expect(refusal(["m.js", "t", "extra"]).message).toMatch(/unexpected argument "extra"/);
    expect(refusal(["--no-such-flag", "x", "m.js", "t"]).message).toMatch(/no-such-flag/);
  });

  it("answers --help without requiring anything", () => {
    expect(parseEntrypointArgs(["--help"], {})).toEqual({ kind: "help" });
  });

  it("keeps inputs, outputs, args and custom context for later decoding", () => {
    const c = config([
      "-i",
      "in.json",
      "-o",
      "out/",
      "--args",
      "[1,2]",
      "--custom-context",
      "team=ml",
      "--custom-context",
      "stage=eval=1",
      "m.js",
      "t",
    ]);
    expect(c).toMatchObject({
      inputsUri: "in.json",
      outputsPath: "out/",
      argsJson: "[1,2]",
      customContext: { team: "ml", stage: "eval=1" },
    });
  });
});

describe("parseAttemptNumber", () => {
  it.each(["1e3", "2abc", " ", "0x1", "+1", "99999999999999999999"])("refuses %j", (v) => {
    expect(() => parseAttemptNumber(v, "X")).toThrow(EntrypointError);
  });
  it("accepts whole numbers", () => {
    expect(parseAttemptNumber("007", "X")).toBe(7);
    expect(parseAttemptNumber(undefined, "X")).toBe(0);
  });
});

describe("parseRunStartTime", () => {
  it("parses ISO times, naive ones as UTC", () => {
    expect(parseRunStartTime("2025-01-02T03:04:05Z").toISOString()).toBe(
      "2025-01-02T03:04:05.000Z",
    );
    expect(parseRunStartTime("2025-01-02T03:04:05").toISOString()).toBe("2025-01-02T03:04:05.000Z");
    expect(parseRunStartTime("2025-01-02T03:04:05+02:00").toISOString()).toBe(
      "2025-01-02T01:04:05.000Z",
    );
  });
  it("falls back to the epoch constant, never to now", () => {
    expect(parseRunStartTime(undefined)).toEqual(EPOCH);
    expect(parseRunStartTime("yesterday")).toEqual(EPOCH);
    expect(parseRunStartTime("2025-13-45T99:00:00Z")).toEqual(EPOCH);
  });
});

describe("the README's contract table", () => {
  it("has one row per flag, with its variable and whether it is required", () => {
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8").split("\n");
    for (const f of ENTRYPOINT_FLAGS) {
      const row = readme.find((l) => l.startsWith(`| \`--${f.flag}\``));
      expect({ flag: f.flag, row }).toEqual({ flag: f.flag, row: expect.any(String) });
      const cells = row!.split("|").map((c) => c.trim());
      expect([cells[2], cells[3]]).toEqual([
        f.env === undefined ? "–" : `\`${f.env}\``,
        f.required ? "yes" : "no",
      ]);
    }
  });
});
