import { ExitCode } from "../entrypoint/exitCodes.js";
import type { ExitCodeValue } from "../entrypoint/exitCodes.js";
import type { CliIo } from "./CliIo.js";
import { checkpointCommand } from "./checkpointCommand.js";
import { FLYTE_HELP } from "./helpText.js";
import { runCommand } from "./runCommand.js";

/**
 * `flyte <command> ...`: dispatches to `run` or `checkpoint inspect` and returns the exit code.
 * Takes its output channels as a parameter so it can run in-process.
 */
export async function runFlyteCli(argv: readonly string[], io: CliIo): Promise<ExitCodeValue> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case "-h":
    case "--help":
    case "help":
      io.out(FLYTE_HELP);
      return command === undefined ? ExitCode.USAGE : ExitCode.OK;
    case "run":
      return runCommand(rest, io);
    case "checkpoint":
      return checkpointCommand(rest, io);
    default:
      io.err(`flyte: unknown command ${JSON.stringify(command)}\n`);
      io.err(FLYTE_HELP);
      return ExitCode.USAGE;
  }
}
