#!/usr/bin/env node
/**
 * The `flyte-task` bin: the container entrypoint. See `runEntrypoint` for the contract and
 * `flyte-task --help` for the flags.
 */
import { writeProcessExitError } from "../entrypoint/processExitGuard.js";
import type { EntrypointProgress } from "../entrypoint/runEntrypoint.js";
import { runEntrypoint } from "../entrypoint/runEntrypoint.js";
import { processIo } from "./CliIo.js";
import { exitAfterFlush } from "./exitAfterFlush.js";

const progress: EntrypointProgress = {};
// A task that calls process.exit() never returns to the entrypoint: record that it failed.
process.on("exit", (code) => writeProcessExitError(progress, code));

runEntrypoint(process.argv.slice(2), process.env, processIo, progress).then(
  exitAfterFlush,
  (err: unknown) => {
    process.stderr.write(
      `flyte-task: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    exitAfterFlush(4);
  },
);
