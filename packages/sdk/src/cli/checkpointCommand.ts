import { parseArgs } from "node:util";
import { ExitCode } from "../entrypoint/exitCodes.js";
import type { ExitCodeValue } from "../entrypoint/exitCodes.js";
import type { CliIo } from "./CliIo.js";
import { formatInspection } from "./checkpoint/formatInspection.js";
import { inspectCheckpoint } from "./checkpoint/inspectCheckpoint.js";
import { INSPECT_HELP } from "./helpText.js";

/** `flyte checkpoint inspect [--json] <uri>` */
export async function checkpointCommand(
  argv: readonly string[],
  io: CliIo,
): Promise<ExitCodeValue> {
  const [sub, ...rest] = argv;
  if (sub === "-h" || sub === "--help") {
    io.out(INSPECT_HELP);
    return ExitCode.OK;
  }
  if (sub !== "inspect") {
    io.err(
      `flyte checkpoint: unknown subcommand ${JSON.stringify(sub ?? "")} (try: flyte checkpoint inspect <uri>)`,
    );
    return ExitCode.USAGE;
  }
  let values: { json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...rest],
      options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (err) {
    io.err(`flyte checkpoint inspect: ${(err as Error).message}`);
    return ExitCode.USAGE;
  }
  if (values.help === true) {
    io.out(INSPECT_HELP);
    return ExitCode.OK;
  }
  if (positionals.length !== 1) {
    io.err("flyte checkpoint inspect: expected exactly one <uri>");
    io.err(INSPECT_HELP);
    return ExitCode.USAGE;
  }
  const uri = positionals[0]!;
  try {
    const inspection = await inspectCheckpoint(uri);
    io.out(values.json === true ? JSON.stringify(inspection) : formatInspection(inspection));
    // Nothing there, or something load() would refuse: not a usable checkpoint.
    return inspection.exists && inspection.loadable ? ExitCode.OK : ExitCode.TASK_FAILED;
  } catch (err) {
    io.err(`flyte checkpoint inspect: cannot read ${uri}: ${(err as Error).message}`);
    return ExitCode.TASK_FAILED;
  }
}
