import { Context, ContextData } from "@flyte/context-core";
import type { TaskContext } from "@flyte/context-core";
import { resolveStorage } from "@flyte/storage-adapters";
import { encodeOutputs, toLiteral } from "@flyte/type-engine";
import type { NamedLiteral } from "@flyte/type-engine";

import type { CliIo } from "../cli/CliIo.js";
import { flyteTaskHelp } from "../cli/helpText.js";
import { createProgressReporter } from "../cli/progressReporter.js";
import { joinUri } from "../paths.js";
import { createCheckpointFactory } from "../runtime/checkpointFactory.js";
import { errorDocumentOf } from "../runtime/errorDocument.js";
import type { ErrorOrigin } from "../runtime/errorDocument.js";
import { runInTaskContext } from "../runtime/runTaskInContext.js";
import { findTask } from "../task/findTask.js";
import type { AnyTask } from "../task/task.js";
import { jsonToLiterals } from "../task/jsonToLiterals.js";
import { literalsToArgs, resultToLiterals } from "../task/taskInterface.js";
import { buildEntrypointContext } from "./buildEntrypointContext.js";
import type { EntrypointConfig } from "./EntrypointConfig.js";
import { EntrypointError } from "./EntrypointError.js";
import { ExitCode } from "./exitCodes.js";
import type { ExitCodeValue } from "./exitCodes.js";
import { importUserModule } from "./importUserModule.js";
import { parseEntrypointArgs } from "./parseEntrypointArgs.js";
import { preflightEntrypoint } from "./preflightEntrypoint.js";
import { readEntrypointInputs } from "./readEntrypointInputs.js";
import type { EntrypointInputs } from "./readEntrypointInputs.js";
import { toJsonText } from "./toJsonText.js";

/** What the entrypoint is doing, for a task that calls `process.exit` in the middle of it. */
export interface EntrypointProgress {
  /** Set while the task runs: its `error.pb` location, for a synchronous last-moment write. */
  running?: { errorUri: string | undefined };
}

/**
 * `flyte-task`: runs one attempt of one task of a module the way a Flyte 2 container runs it, and
 * returns the process exit code. The order is the contract: flags and variables, then the inputs
 * (`flyteidl2.task.Inputs`) and custom context, then every storage URI — all checked before the
 * module is imported, so a bad pod spec exits 2 and no user code has run. Then the module is
 * loaded (3 on failure, after writing `error.pb`), the task runs in its TaskContext, and the
 * outcome is written as the Python runtime writes it: `<outputs-path>/outputs.pb` on success (0
 * bytes without outputs), `<outputs-path>/error.pb` when the task failed — and the exit code is
 * 0 in both cases, as the backend reads `error.pb` only from a pod that succeeded. Only when
 * nothing could be written is the exit code non-zero.
 */
export async function runEntrypoint(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
  progress: EntrypointProgress = {},
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
    await preflightEntrypoint(config);
    const inputs = await readEntrypointInputs(config);
    // The attempt's checkpoint, once the task builds it: its local workspace is removed at the end.
    let checkpoint: { dispose(): unknown } | undefined;
    const tctx = buildEntrypointContext(
      config,
      inputs.customContext,
      createCheckpointFactory({ onCreate: (c) => (checkpoint = c) }),
    );
    try {
      return await runTask(config, inputs, tctx, io, progress);
    } finally {
      await Promise.resolve(checkpoint?.dispose()).catch(() => undefined);
    }
  } catch (err) {
    progress.running = undefined;
    if (err instanceof EntrypointError) {
      io.err(`flyte-task: ${err.message}`);
      if (
        err.exitCode === ExitCode.LOAD_FAILED &&
        err.cause instanceof Error &&
        err.cause.stack !== undefined
      )
        io.err(err.cause.stack);
      if (err.exitCode === ExitCode.USAGE) io.err("flyte-task: see flyte-task --help");
      return err.exitCode;
    }
    // Our own failure (not the task's): recorded as a SYSTEM error where it can be.
    io.err(
      `flyte-task: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    const written = await writeError(outputsPath, err, "SYSTEM", io).then(
      () => outputsPath !== undefined,
      () => false,
    );
    return written ? ExitCode.OK : ExitCode.IO_FAILED;
  }
}

/** Loads the module, runs the task once and writes its outcome. */
async function runTask(
  config: EntrypointConfig,
  inputs: EntrypointInputs,
  tctx: TaskContext,
  io: CliIo,
  progress: EntrypointProgress,
): Promise<ExitCodeValue> {
  const outputsPath = config.outputsPath;
  // From here on user code runs: the module's top level, then the task.
  let task: AnyTask;
  try {
    const exports = await importUserModule(config.modulePath);
    try {
      task = findTask(exports, config.taskName);
    } catch (err) {
      throw new EntrypointError((err as Error).message, {
        exitCode: ExitCode.LOAD_FAILED,
        source: "<task>",
        cause: err,
      });
    }
  } catch (err) {
    await writeError(outputsPath, err, "USER", io);
    throw err;
  }
  const label = `task "${task.name}"`;
  let literals: readonly NamedLiteral[] = inputs.literals;
  if (config.argsJson !== undefined) {
    try {
      literals = jsonToLiterals(task.interface, config.argsJson, label);
    } catch (err) {
      throw new EntrypointError((err as Error).message, { source: "--args", cause: err });
    }
  }
  literals = withKickoffTime(task, literals, inputs.kickoffInput, tctx.runStartTime);
  io.err(
    `flyte-task: ${task.fullName} as ${tctx.action.runName}/${tctx.action.name}, attempt ${tctx.attemptNumber}` +
      (tctx.checkpointPaths?.prevCheckpointPath === undefined
        ? ""
        : `, resuming from ${tctx.checkpointPaths.prevCheckpointPath}`),
  );

  let outcome: { literals: NamedLiteral[]; result: unknown };
  progress.running = {
    errorUri: outputsPath === undefined ? undefined : joinUri(outputsPath, "error.pb"),
  };
  try {
    // One attempt, in a context branch holding the TaskContext built above (retrying is the
    // platform's job); tasks it calls run as child actions under the run's base folder.
    outcome = await runInTaskContext(
      tctx,
      { base: new Context(new ContextData()), onEvent: createProgressReporter(io) },
      async () => {
        const args = await literalsToArgs(task.interface, literals, label);
        const result = await task.fn(...args);
        return { literals: await resultToLiterals(task.interface, result, label), result };
      },
    );
  } catch (err) {
    progress.running = undefined;
    io.err(
      `flyte-task: the task failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
    );
    if (err instanceof Error && err.stack !== undefined) io.err(err.stack);
    if (outputsPath === undefined) return ExitCode.TASK_FAILED; // nothing could be written
    await writeError(outputsPath, err, "USER", io);
    return ExitCode.OK;
  }
  progress.running = undefined;
  if (outputsPath !== undefined)
    await writeFile(outputsPath, "outputs.pb", encodeOutputs(outcome.literals), io);
  const text = toJsonText(outcome.result);
  io.out(
    text.ok
      ? `{"result":${text.json}}`
      : JSON.stringify({
          outputs: outputsPath === undefined ? null : joinUri(outputsPath, "outputs.pb"),
          note: text.reason,
        }),
  );
  return ExitCode.OK;
}

/** Fills the input the platform named with `_u_kickoff_time_input_arg` from `--run-start-time`. */
function withKickoffTime(
  task: AnyTask,
  literals: readonly NamedLiteral[],
  input: string | undefined,
  start: Date | undefined,
): readonly NamedLiteral[] {
  if (input === undefined || start === undefined || literals.some((l) => l.name === input))
    return literals;
  const v = task.interface.inputs.find((i) => i.name === input);
  if (v === undefined) return literals;
  return [
    ...literals,
    { name: input, literal: toLiteral(start, v.type, `input "${input}" (the run's start time)`) },
  ];
}

async function writeError(
  prefix: string | undefined,
  error: unknown,
  origin: ErrorOrigin,
  io: CliIo,
): Promise<void> {
  if (prefix === undefined) return;
  await writeFile(prefix, "error.pb", errorDocumentOf(error, origin), io);
}

async function writeFile(
  prefix: string,
  file: string,
  bytes: Uint8Array,
  io: CliIo,
): Promise<void> {
  const uri = joinUri(prefix, file);
  try {
    const { storage, key } = resolveStorage(uri);
    await storage.put(key, bytes, { contentType: "application/x-protobuf" });
  } catch (err) {
    io.err(`flyte-task: could not write ${uri}: ${(err as Error).message}`);
    throw new EntrypointError(`could not write ${uri}: ${(err as Error).message}`, {
      exitCode: ExitCode.IO_FAILED,
      source: "--outputs-path",
      cause: err,
    });
  }
}
