/**
 * A crashed `flyte run` — the whole runner killed with SIGKILL — resumed with `--resume`: the
 * steps that finished are reused (their bodies run exactly once in all), the one that was
 * interrupted starts a new attempt from its last checkpoint. And Ctrl-C: the run is cancelled
 * cleanly (its children see their signal abort), exits 130 and can be resumed.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { ExitCode } from "../src/entrypoint/exitCodes.js";
import { flyte, FLYTE_BIN, SDK_DIR, tempDir } from "./fixtures-cli/runBin.js";

const DURABLE = join(SDK_DIR, "test", "fixtures-cli", "durableTasks.ts");

function lines(file: string): string[] {
  try {
    return readFileSync(file, "utf8").trim().split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

describe("flyte run --resume after a SIGKILL", () => {
  it("reuses finished steps and resumes the interrupted one from its checkpoint", async () => {
    const dir = tempDir("resume");
    const log = join(dir, "log");
    const env = { FLYTE_HOME: dir, FLYTE_TEST_LOG: log };
    const killed = await flyte(["run", "--run-name", "crashy", DURABLE, "pipeline", "--n", "5"], {
      env: { ...env, FLYTE_TEST_KILL_IN: "2" },
    });
    expect(killed.signal).toBe("SIGKILL");
    expect(lines(log)).toEqual([
      "step 0 attempt 0 from 0",
      "step 1 attempt 0 from 0",
      "step 2 attempt 0 from 0",
    ]);

    const resumed = await flyte(
      ["run", "--json", "--resume", "crashy", DURABLE, "pipeline", "--n", "5"],
      { env },
    );
    expect({ code: resumed.code, stderr: resumed.stderr }).toMatchObject({ code: ExitCode.OK });
    expect(resumed.json()).toMatchObject({
      ok: true,
      run: "crashy",
      result: 100,
      summary: { reused: 2 },
    });
    expect(resumed.stderr).toMatch(/resuming run crashy/);
    expect(resumed.stderr).toMatch(/↻ reused/);
    expect(lines(log)).toEqual([
      "step 0 attempt 0 from 0",
      "step 1 attempt 0 from 0",
      "step 2 attempt 0 from 0",
      "step 2 attempt 1 from 2",
      "step 3 attempt 0 from 0",
      "step 4 attempt 0 from 0",
      "pipeline done 100",
    ]);
  });

  it("refuses to resume with other inputs, and a new run under a used name, as usage errors", async () => {
    const dir = tempDir("resume-refuse");
    const env = { FLYTE_HOME: dir };
    const first = await flyte(["run", "--run-name", "once", DURABLE, "pipeline", "--n", "1"], {
      env,
    });
    expect(first.code).toBe(ExitCode.OK);
    const clash = await flyte(
      ["run", "--json", "--run-name", "once", DURABLE, "pipeline", "--n", "1"],
      { env },
    );
    expect(clash.code).toBe(ExitCode.USAGE);
    expect(clash.json()).toMatchObject({ ok: false, error: { name: "EntrypointError" } });
    expect(clash.stderr).not.toMatch(/\n\s+at /);
    const other = await flyte(["run", "--resume", "once", DURABLE, "pipeline", "--n", "2"], {
      env,
    });
    expect(other.code).toBe(ExitCode.USAGE);
    expect(other.stderr).toMatch(/inputs were different/);
  });
});

describe("Ctrl-C on flyte run", () => {
  it("cancels the run: children aborted, exit 130, resumable", async () => {
    const dir = tempDir("ctrlc");
    const log = join(dir, "log");
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=@flyte/source",
        FLYTE_BIN,
        "run",
        "--run-name",
        "stopme",
        DURABLE,
        "fanOut",
        "--n",
        "3",
      ],
      {
        cwd: SDK_DIR,
        env: { ...process.env, FLYTE_HOME: dir, FLYTE_TEST_LOG: log, NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const deadline = Date.now() + 20_000;
    while (lines(log).length < 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(lines(log)).toHaveLength(3);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) =>
      child.on("close", (c) => resolve(c)),
    );
    expect(code).toBe(ExitCode.CANCELLED);
    expect(stderr).toMatch(/cancelling the run/);
    expect(stderr).toMatch(/■ cancelled/);
    expect(stderr).toMatch(/--resume stopme/);
    // Nothing was recorded as failed: the run resumes, and the cancelled waiters run again.
    const resumed = await flyte(["run", "--resume", "stopme", DURABLE, "fanOut", "--n", "3"], {
      env: { FLYTE_HOME: dir, FLYTE_TEST_LOG: log, FLYTE_TEST_QUICK: "1" },
    });
    expect({ code: resumed.code, stderr: resumed.stderr }).toMatchObject({ code: ExitCode.OK });
    expect(lines(log)).toHaveLength(6);
  }, 60_000);
});
