#!/usr/bin/env node
/**
 * The `flyte-task` bin: the container entrypoint. See `runEntrypoint` for the contract and
 * `flyte-task --help` for the flags.
 */
import { runEntrypoint } from "../entrypoint/runEntrypoint.js";
import { processIo } from "./CliIo.js";

runEntrypoint(process.argv.slice(2), process.env, processIo).then(
  // Exit explicitly: a storage client's idle sockets or worker must not keep a finished pod alive.
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`flyte-task: internal error: ${String(err)}\n`);
    process.exit(4);
  },
);
