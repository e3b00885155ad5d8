import { ExitCode } from "../entrypoint/exitCodes.js";
import type { ExitCodeValue } from "../entrypoint/exitCodes.js";
import type { CliIo } from "./CliIo.js";
import { FLYTE_HELP } from "./helpText.js";

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
    // Commands load on demand: `flyte checkpoint` never loads the task runtime, nor help either.
    case "run":
      return (await import("./runCommand.js")).runCommand(rest, io);
    case "checkpoint":
      return (await import("./checkpointCommand.js")).checkpointCommand(rest, io);
    default:
      io.err(`flyte: unknown command ${JSON.stringify(command)}\n`);
      io.err(FLYTE_HELP);
      return ExitCode.USAGE;
  }
}
