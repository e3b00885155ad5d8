import { resolveStorage } from "@flyte/storage-adapters";
import type { CliIo } from "../cli/CliIo.js";
import { flyteTaskHelp } from "../cli/helpText.js";
import { createCheckpointFactory } from "../checkpointFactory.js";
import { findTask } from "../findTask.js";
import { createProgressReporter } from "../cli/progressReporter.js";
import { runTaskInContext } from "../runTaskInContext.js";
import { joinUri } from "../paths.js";
import { buildEntrypointContext } from "./buildEntrypointContext.js";
import { EntrypointError } from "./EntrypointError.js";
import { ExitCode } from "./exitCodes.js";
import type { ExitCodeValue } from "./exitCodes.js";
import { importUserModule } from "./importUserModule.js";
import { parseEntrypointArgs } from "./parseEntrypointArgs.js";
import { readEntrypointInputs } from "./readEntrypointInputs.js";
import { toJsonValue, describeError } from "./serializeOutcome.js";

/**
 * `flyte-task`: runs one task of a module the way a Flyte container runs it, and returns the
 * process exit code. The order is the contract: flags and variables, then inputs and custom
 * context, then every storage URI — all checked before the module is imported, so a bad pod spec
 * fails with exit code 2 and no user code has run. Then the module is loaded (3 on failure), the
 * task runs in its TaskContext (1 when it throws), and the outcome is written: the last stdout
 * line is `{"result": ...}`, and `<outputs-path>/outputs.json` (or `error.json`) holds it too.
 */
export async function runEntrypoint(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<ExitCodeValue> {
  let outputsPath: string | undefined;
  try {
    const request = parseEntrypointArgs(argv, env);
    if (request.kind === "help") {
      io.out(flyteTaskHelp());
      return ExitCode.OK;
    }
    const { config } = request;
    outputsPath = config.outputsPath;
    const inputs = await readEntrypointInputs(config);
    const tctx = buildEntrypointContext(config, inputs.customContext, createCheckpointFactory());

    // From here on user code runs: the module's top level, then the task.
    const exports = await importUserModule(config.modulePath);
    let task;
    try {
      task = findTask(exports, config.taskName);
    } catch (err) {
      throw new EntrypointError((err as Error).message, {
        exitCode: ExitCode.LOAD_FAILED,
        source: "<task>",
        cause: err,
      });
    }
    io.err(
      `flyte-task: ${task.fullName} as ${tctx.action.runName}/${tctx.action.name}, attempt ${tctx.attemptNumber}` +
        (tctx.checkpointPaths?.prevCheckpointPath === undefined
          ? ""
          : `, resuming from ${tctx.checkpointPaths.prevCheckpointPath}`),
    );

    let result: unknown;
    try {
      // One attempt, in a context branch holding the TaskContext built above (retrying is the
      // platform's job); tasks it calls run as child actions, reported on stderr.
      result = await runTaskInContext(task, tctx, [...inputs.args], {
        onEvent: createProgressReporter(io),
      });
    } catch (err) {
      io.err(`flyte-task: the task failed: ${describeError(err).message}`);
      if (err instanceof Error && err.stack !== undefined) io.err(err.stack);
      await writeOutcome(outputsPath, "error.json", { error: describeError(err) }, io);
      return ExitCode.TASK_FAILED;
    }
    const json = toJsonValue(result);
    await writeOutcome(outputsPath, "outputs.json", { result: json }, io);
    io.out(JSON.stringify({ result: json }));
    return ExitCode.OK;
  } catch (err) {
    if (err instanceof EntrypointError) {
      io.err(`flyte-task: ${err.message}`);
      if (
        err.exitCode === ExitCode.LOAD_FAILED &&
        err.cause instanceof Error &&
        err.cause.stack !== undefined
      ) {
        io.err(err.cause.stack);
      }
      if (err.exitCode === ExitCode.USAGE) io.err("flyte-task: see flyte-task --help");
      if (err.exitCode !== ExitCode.USAGE) {
        await writeOutcome(outputsPath, "error.json", { error: describeError(err) }, io).catch(
          () => undefined,
        );
      }
      return err.exitCode;
    }
    io.err(
      `flyte-task: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    return ExitCode.IO_FAILED;
  }
}

async function writeOutcome(
  prefix: string | undefined,
  file: string,
  body: unknown,
  io: CliIo,
): Promise<void> {
  if (prefix === undefined) return;
  const uri = joinUri(prefix, file);
  try {
    const { storage, key } = resolveStorage(uri);
    await storage.put(key, `${JSON.stringify(body)}\n`, { contentType: "application/json" });
  } catch (err) {
    io.err(`flyte-task: could not write ${uri}: ${(err as Error).message}`);
    throw new EntrypointError(`could not write ${uri}: ${(err as Error).message}`, {
      exitCode: ExitCode.IO_FAILED,
      source: "--outputs-path",
      cause: err,
    });
  }
}
