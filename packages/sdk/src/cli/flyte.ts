#!/usr/bin/env node
/** The `flyte` bin. See `runFlyteCli` and `flyte --help`. */
import { ExitCode } from "../entrypoint/exitCodes.js";
import { processIo } from "./CliIo.js";
import { exitAfterFlush } from "./exitAfterFlush.js";
import type { CliLifecycle } from "./runFlyteCli.js";
import { runFlyteCli } from "./runFlyteCli.js";

const lifecycle: CliLifecycle = {};
let drained = false;
// The event loop ran empty while the task still runs: it waits for a promise that nothing can
// settle any more (no timer, socket or file keeps the process alive). Node would exit 0.
process.on("beforeExit", () => {
  if (lifecycle.running !== true || drained) return;
  drained = true;
  process.stderr.write(
    "flyte run: the task can never finish: it waits for a promise nothing will settle (no timer, I/O or child task is left)\n",
  );
  process.exitCode = ExitCode.TASK_FAILED;
});
// A task that calls process.exit() ends the run before it reports: never let that pass for success.
process.on("exit", (code) => {
  if (lifecycle.running !== true || drained) return;
  process.stderr.write(
    `flyte run: the task called process.exit(${code}) before the run finished; no result\n`,
  );
  if (code === 0) process.exitCode = ExitCode.TASK_FAILED;
});

runFlyteCli(process.argv.slice(2), processIo, lifecycle).then(exitAfterFlush, (err: unknown) => {
  process.stderr.write(
    `flyte: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  exitAfterFlush(ExitCode.IO_FAILED);
});
