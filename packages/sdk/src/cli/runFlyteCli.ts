import { ExitCode } from "../entrypoint/exitCodes.js";
import type { ExitCodeValue } from "../entrypoint/exitCodes.js";
import type { CliIo } from "./CliIo.js";
import { FLYTE_HELP } from "./helpText.js";
import { sdkVersion } from "./sdkVersion.js";

/** What the CLI tells its bin while it runs (a task that calls `process.exit` ends it early). */
export interface CliLifecycle {
  /** True while a task runs. */
  running?: boolean;
}

/**
 * `flyte <command> ...`: dispatches to `run` or `checkpoint inspect` and returns the exit code.
 * Takes its output channels as a parameter so it can run in-process.
 */
export async function runFlyteCli(
  argv: readonly string[],
  io: CliIo,
  lifecycle: CliLifecycle = {},
): Promise<ExitCodeValue> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case "-h":
    case "--help":
    case "help":
      io.out(FLYTE_HELP);
      return command === undefined ? ExitCode.USAGE : ExitCode.OK;
    case "-V":
    case "--version":
    case "version":
      io.out(`flyte ${sdkVersion()} (@flyte/sdk, Node ${process.versions.node})`);
      return ExitCode.OK;
    // Commands load on demand: `flyte checkpoint` never loads the task runtime, nor help either.
    case "run":
      return (await import("./runCommand.js")).runCommand(rest, io, undefined, lifecycle);
    case "checkpoint":
      return (await import("./checkpointCommand.js")).checkpointCommand(rest, io);
    default:
      io.err(
        `flyte: unknown command ${JSON.stringify(command)} (commands: run, checkpoint inspect; see flyte --help)`,
      );
      return ExitCode.USAGE;
  }
}
