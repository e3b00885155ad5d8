/**
 * `flyte run` as a user runs it: TypeScript files, no build step. The bin is spawned for the
 * paths where the process itself matters (exit code, stdout/stderr split); other scenarios run
 * several command lines in one subprocess (cliDriver.ts), and pure usage errors run in-process.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runFlyteCli } from "../src/cli/runFlyteCli.js";
import { ExitCode } from "../src/entrypoint/exitCodes.js";
import { captureIo } from "./fixtures-cli/captureIo.js";
import type { DriverResult } from "./fixtures-cli/runBin.js";
import { TASKS, flyte, flyteMany, lastJsonLine, tempDir } from "./fixtures-cli/runBin.js";

const FIXTURES = join(__dirname, "fixtures-cli");

describe("flyte run (the bin, as a subprocess)", () => {
  it("runs a task: progress on stderr, the result on stdout, exit 0", async () => {
    const r = await flyte(["run", "--run-name", "human-run", TASKS, "add", "3", "--y=4"]);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.stdout).toBe("7\n");
    expect(r.stderr.split("\n").slice(0, 4)).toEqual([
      expect.stringMatching(/^▶ run human-run: add {2}\(.*human-run\)$/),
      "  a0 add attempt 0 started",
      "  a0 add attempt 0 ok",
      "✔ run human-run succeeded",
    ]);
  });

  it("shows each attempt, the retry and the checkpoint load; the retry resumes; --json is the last line", async () => {
    const raw = tempDir("run-raw");
    const r = await flyte([
      "run",
      "--raw-data-path",
      raw,
      "--run-name",
      "loop",
      TASKS,
      "resumeLoop",
      "--n",
      "6",
      "--fail-at",
      "3",
      "--json",
    ]);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.json()).toEqual({
      ok: true,
      run: "loop",
      task: "resumeLoop",
      result: { start: 3, end: 6, attempt: 1 },
      summary: {
        actions: 1,
        attempts: 2,
        retries: 1,
        reused: 0,
        cached: 0,
        timedOut: 0,
        cancelled: 0,
      },
    });
    const lines = r.stderr.split("\n");
    const at = (text: string): number => lines.findIndex((l) => l.includes(text));
    expect(at("a0 resumeLoop attempt 0 (1/3) started")).toBeGreaterThanOrEqual(0);
    expect(at("attempt 0 (1/3) no previous checkpoint")).toBeGreaterThan(
      at("attempt 0 (1/3) started"),
    );
    expect(
      at("attempt 0 (1/3) failed: Error: injected failure at 3 (3 checkpoint saves) → retrying"),
    ).toBeGreaterThan(0);
    expect(at("a0 resumeLoop attempt 1 (2/3) started")).toBeGreaterThan(
      at("attempt 0 (1/3) failed"),
    );
    expect(lines[at("attempt 1 (2/3) ↺ resumed from checkpoint")]).toContain(
      join(raw, "loop", "a0", "0", "_flytecheckpoints"),
    );
    expect(at("attempt 1 (2/3) ok (3 checkpoint saves)")).toBeGreaterThan(0);
    // What the last attempt saved is on disk, where the progress said.
    expect(readFileSync(join(raw, "loop", "a0", "1", "_flytecheckpoints"), "utf8")).toBe("6");
  });

  it("exits 1 when the task fails after its retries, with the attempt history", async () => {
    const r = await flyte(["run", TASKS, "alwaysFails", "--json"]);
    expect(r.code).toBe(ExitCode.TASK_FAILED);
    expect(r.json()).toMatchObject({
      ok: false,
      error: {
        name: "TaskFailedError",
        attempts: [
          { attempt: 0, message: "failed on attempt 0" },
          { attempt: 1, message: "failed on attempt 1" },
        ],
      },
    });
    expect(r.stderr).toContain("attempt 1: Error: failed on attempt 1");
    expect(r.stderr).toContain("✘ run");
  });
});

describe("flyte run (several command lines in one subprocess)", () => {
  let results: DriverResult[];
  beforeAll(async () => {
    results = await flyteMany([
      [
        "run",
        TASKS,
        "opts",
        "--count",
        "5",
        "--label",
        "007",
        "--loud",
        "--data",
        '{"a":[1,2]}',
        "--json",
      ],
      ["run", TASKS, "parent", "--x", "1", "--custom-context", "team=ml"],
      ["run", TASKS, "giveUp", "--json"],
      ["run", TASKS, "noSuchTask"],
      ["run", join(FIXTURES, "throwsOnImport.ts"), "nothing"],
      ["run", join(FIXTURES, "noTasks.ts"), "answer"],
      ["run", TASKS, "add", "--z", "1"],
      ["run", TASKS, "add", "--x", "1", "--y", "two", "--json"],
      ["run", TASKS, "unserializable", "--json"],
      ["run", join(FIXTURES, "plain.mjs"), "double", "--x", "4", "--times", "3", "--json"],
    ]);
  });

  it("coerces by the parameter's default, else as JSON, and passes a bare flag as true", () => {
    expect(results[0]!.code).toBe(ExitCode.OK);
    expect(lastJsonLine(results[0]!.out)["result"]).toEqual([5, "007", true, { a: [1, 2] }]);
  });

  it("runs child tasks with the run-level custom context, indented under their parent", () => {
    const r = results[1]!;
    expect(r.code).toBe(ExitCode.OK);
    const value = JSON.parse(r.out) as string[];
    expect(value).toEqual([
      expect.stringMatching(/^[a-z0-9]+:1:ml$/),
      expect.stringMatching(/^[a-z0-9]+:2:ml$/),
    ]);
    expect(r.err).toMatch(/\n {4}[a-z0-9]+ child attempt 0 started/);
  });

  it("stops at a NonRecoverableError without retrying", () => {
    const r = results[2]!;
    expect(r.code).toBe(ExitCode.TASK_FAILED);
    expect(lastJsonLine(r.out)["error"]).toMatchObject({
      nonRecoverable: true,
      attempts: [{ attempt: 0, name: "NonRecoverableError" }],
    });
    expect(r.err).toContain(
      "attempt 0 (1/4) failed: NonRecoverableError: this input can never work",
    );
    expect(r.err).not.toContain("attempt 1 (2/4)");
  });

  it("exits 3 when the task is not there or the module does not load", () => {
    for (const r of results.slice(3, 6)) expect(r.code).toBe(ExitCode.LOAD_FAILED);
    expect(results[3]!.err).toMatch(/no task "noSuchTask" in the module; it exports: .*add/);
    expect(results[4]!.err).toContain("this module refuses to load");
    expect(results[5]!.err).toContain("exports no tasks");
  });

  it("refuses bad task arguments with exit 2, naming the parameter", () => {
    expect(results[6]!.code).toBe(ExitCode.USAGE);
    expect(results[6]!.err).toContain("unknown task parameter --z; the task takes --x, --y");
    expect(results[7]!.code).toBe(ExitCode.USAGE);
    expect(lastJsonLine(results[7]!.out)).toMatchObject({
      ok: false,
      error: { message: '--y wants a number, got "two"' },
    });
  });

  it("runs a plain JavaScript module too", () => {
    expect(results[9]!.code).toBe(ExitCode.OK);
    expect(lastJsonLine(results[9]!.out)).toMatchObject({
      ok: true,
      task: "double",
      result: { value: 12, attempt: 0 },
    });
  });

  it("prints a bigint result as the integer it is (JSON numbers have no size limit)", () => {
    expect(results[8]!.code).toBe(ExitCode.OK);
    expect(results[8]!.out.trim().split("\n").at(-1)).toMatch(/"result":10,/);
  });
});

describe("flyte (in-process: usage, before any user code)", () => {
  async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const io = captureIo();
    const code = await runFlyteCli(argv, io);
    return { code, stdout: io.stdout, stderr: io.stderr };
  }

  it("refuses bad command lines with exit 2 and never loads the file", async () => {
    const marker = join(tempDir("marker"), "imported");
    process.env["FLYTE_TEST_MARKER"] = marker;
    try {
      const cases: Array<[string[], RegExp]> = [
        [["run", TASKS], /expected <file> <task>/],
        [["run", "--bogus", TASKS, "add"], /unknown option --bogus before <file> <task>/],
        [["run", "--run-name", "bad name!", TASKS, "add"], /run name must be/],
        [
          ["run", "--custom-context", "_u_reserved=1", TASKS, "add"],
          /--custom-context refused: .*_u_reserved/,
        ],
        [["run", "--custom-context", "novalue", TASKS, "add"], /--custom-context wants key=value/],
        [
          ["run", "--raw-data-path", "nosuchscheme://x", TASKS, "add"],
          /rawDataPath .*nosuchscheme/,
        ],
        [["run", "--json"], /expected <file> <task>/],
      ];
      for (const [argv, message] of cases) {
        const r = await cli(argv);
        expect({ argv, code: r.code }).toEqual({ argv, code: ExitCode.USAGE });
        expect(r.stderr).toMatch(message);
      }
      const json = await cli(["run", "--json", "--run-name", "x y", TASKS, "add"]);
      expect(lastJsonLine(json.stdout)).toMatchObject({
        ok: false,
        error: { name: "EntrypointError" },
      });
      expect(existsSync(marker)).toBe(false);
    } finally {
      delete process.env["FLYTE_TEST_MARKER"];
    }
  });

  it("exits 3 for a file that does not exist", async () => {
    const r = await cli(["run", join(FIXTURES, "nope.ts"), "add"]);
    expect(r.code).toBe(ExitCode.LOAD_FAILED);
    expect(r.stderr).toContain("module not found");
  });

  it("prints help for flyte and flyte run; no command is a usage error", async () => {
    const [help, runHelp, none, unknown] = [
      await cli(["--help"]),
      await cli(["run", "--help"]),
      await cli([]),
      await cli(["deploy"]),
    ];
    expect(help.code).toBe(ExitCode.OK);
    expect(help.stdout).toContain("flyte run [options] <file.ts|.js> <task>");
    expect(help.stdout).toContain("flyte checkpoint inspect");
    expect(runHelp.code).toBe(ExitCode.OK);
    expect(runHelp.stdout).toContain("--json");
    expect(none.code).toBe(ExitCode.USAGE);
    expect(unknown.code).toBe(ExitCode.USAGE);
    expect(unknown.stderr).toContain('unknown command "deploy"');
  });
});
