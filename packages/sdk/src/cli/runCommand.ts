import { mergeCustomContext } from "@flyte/custom-context";
import { EntrypointError } from "../entrypoint/EntrypointError.js";
import { ExitCode } from "../entrypoint/exitCodes.js";
import type { ExitCodeValue } from "../entrypoint/exitCodes.js";
import { importUserModule } from "../entrypoint/importUserModule.js";
import { describeError, toJsonValue } from "../entrypoint/serializeOutcome.js";
import type { RunEvent } from "../events.js";
import { findTask } from "../findTask.js";
import { withRunContext } from "../runner.js";
import type { RunContext } from "../runner.js";
import type { AnyTask } from "../task.js";
import { bindTaskArgs } from "./bindTaskArgs.js";
import type { CliIo } from "./CliIo.js";
import { RUN_HELP } from "./helpText.js";
import { parameterList } from "./parameterList.js";
import { parseRunArgs } from "./parseRunArgs.js";
import { createProgressReporter } from "./progressReporter.js";

/**
 * `flyte run <file> <task> [--param value ...]`: loads the file (TypeScript without a build),
 * binds and coerces the arguments to the task's parameters, runs it as a local run with progress
 * on stderr, and prints the result — as the last stdout line `{"ok":true,"result":...}` with
 * `--json`. Everything the command line can get wrong is checked before the file is loaded,
 * except the task arguments, which need the task's parameter list.
 */
export async function runCommand(argv: readonly string[], io: CliIo): Promise<ExitCodeValue> {
  let json = false;
  let runName: string | undefined;
  try {
    const args = parseRunArgs(argv);
    json = args.json;
    if (args.help) {
      io.out(RUN_HELP);
      return ExitCode.OK;
    }
    if (args.file === undefined || args.task === undefined) {
      throw new EntrypointError("flyte run: expected <file> <task> (see flyte run --help)", {
        source: args.file === undefined ? "<file>" : "<task>",
      });
    }
    if (Object.keys(args.customContext).length > 0) {
      try {
        // Checked now, as a scope would check it, so a bad key stops here and not after the import.
        mergeCustomContext(args.customContext);
      } catch (err) {
        throw new EntrypointError(
          `flyte run: --custom-context refused: ${(err as Error).message}`,
          {
            source: "--custom-context",
            cause: err,
          },
        );
      }
    }
    const progress = args.quiet ? undefined : createProgressReporter(io);
    let context: RunContext;
    try {
      context = withRunContext({
        ...(args.runName === undefined ? {} : { name: args.runName }),
        ...(args.rawDataPath === undefined ? {} : { rawDataPath: args.rawDataPath }),
        ...(Object.keys(args.customContext).length === 0
          ? {}
          : { customContext: args.customContext }),
        onEvent: (event: RunEvent) => {
          if (event.type === "run-start") runName = event.runName;
          progress?.(event);
        },
      });
    } catch (err) {
      throw new EntrypointError(`flyte run: ${(err as Error).message}`, {
        source: optionOf(err),
        cause: err,
      });
    }

    const exports = await importUserModule(args.file);
    let task: AnyTask;
    try {
      task = findTask(exports, args.task);
    } catch (err) {
      throw new EntrypointError(`flyte run: ${(err as Error).message}`, {
        exitCode: ExitCode.LOAD_FAILED,
        source: "<task>",
        cause: err,
      });
    }
    const taskArgs = bindTaskArgs(parameterList(task.fn), args.taskTokens);

    let result: unknown;
    try {
      result = await context.run(task, ...taskArgs);
    } catch (err) {
      reportFailure(err, io, json, runName);
      return ExitCode.TASK_FAILED;
    }
    const value = toJsonValue(result);
    if (json) {
      io.out(JSON.stringify({ ok: true, run: runName ?? null, task: task.name, result: value }));
    } else {
      io.out(typeof value === "string" ? value : JSON.stringify(value, null, 2));
    }
    return ExitCode.OK;
  } catch (err) {
    if (!(err instanceof EntrypointError)) throw err;
    io.err(err.message.startsWith("flyte run") ? err.message : `flyte run: ${err.message}`);
    if (
      err.exitCode === ExitCode.LOAD_FAILED &&
      err.cause instanceof Error &&
      err.cause.stack !== undefined
    ) {
      io.err(err.cause.stack);
    }
    if (json)
      io.out(JSON.stringify({ ok: false, run: runName ?? null, error: describeError(err) }));
    return err.exitCode;
  }
}

function reportFailure(err: unknown, io: CliIo, json: boolean, runName: string | undefined): void {
  const d = describeError(err);
  io.err(`flyte run: ${d.message}`);
  for (const a of d.attempts ?? []) io.err(`  attempt ${a.attempt}: ${a.name}: ${a.message}`);
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.stack !== undefined) io.err(cause.stack);
  if (json) io.out(JSON.stringify({ ok: false, run: runName ?? null, error: d }));
}

function optionOf(err: unknown): string {
  const option = (err as { option?: unknown }).option;
  if (option === "name") return "--run-name";
  if (option === "rawDataPath") return "--raw-data-path";
  if (option === "customContext") return "--custom-context";
  return typeof option === "string" ? option : "<options>";
}
