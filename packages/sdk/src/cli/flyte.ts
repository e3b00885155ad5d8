#!/usr/bin/env node
/** The `flyte` bin. See `runFlyteCli` and `flyte --help`. */
import { processIo } from "./CliIo.js";
import { runFlyteCli } from "./runFlyteCli.js";

runFlyteCli(process.argv.slice(2), processIo).then(
  // Exit explicitly: a storage client's idle sockets or worker must not keep the CLI alive.
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`flyte: internal error: ${String(err)}\n`);
    process.exit(4);
  },
);
