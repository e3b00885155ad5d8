import { mergeCustomContext } from "@flyte/custom-context";

import { EntrypointError } from "../entrypoint/EntrypointError.js";
import { ExitCode } from "../entrypoint/exitCodes.js";
import type { ExitCodeValue } from "../entrypoint/exitCodes.js";
import { importUserModule } from "../entrypoint/importUserModule.js";
import { toJsonText } from "../entrypoint/toJsonText.js";
import { ConfigurationError, RunCancelledError } from "../errors.js";
import type { RunEvent } from "../events.js";
import type { RunContext } from "../runner.js";
import { withRunContext } from "../runner.js";
import { findTask } from "../task/findTask.js";
import type { AnyTask } from "../task/task.js";
import { bindTaskArgs } from "./bindTaskArgs.js";
import type { CliIo } from "./CliIo.js";
import { describeError } from "./describeError.js";
import { RUN_HELP } from "./helpText.js";
import { parseRunArgs } from "./parseRunArgs.js";
import { createProgressReporter } from "./progressReporter.js";

/** How `flyte run` learns of Ctrl-C (injectable, so a test can press it). */
export interface InterruptSource {
  /** Calls `onInterrupt` on each interrupt until the returned function is called. */
  listen(onInterrupt: () => void): () => void;
}

/** SIGINT of this process. */
export const processInterrupts: InterruptSource = {
  listen(onInterrupt) {
    process.on("SIGINT", onInterrupt);
    return () => process.off("SIGINT", onInterrupt);
  },
};

/** What a run did, counted from its events, for `--json`. */
interface RunSummary {
  actions: number;
  attempts: number;
  retries: number;
  reused: number;
  cached: number;
  timedOut: number;
  cancelled: number;
}

/**
 * `flyte run <file> <task> [--param value ...]`: loads the file (TypeScript without a build),
 * binds the arguments to the task's inputs (parsed by their declared types), runs it as a local
 * run with progress on stderr, and prints the result — as the last stdout line
 * `{"ok":true,"result":...,"summary":{...}}` with `--json`. Everything the command line can get
 * wrong is a usage error (exit 2) without a stack trace, `--json` included. Ctrl-C cancels the
 * run cleanly (children aborted, nothing half-written) and exits 130; the run can be resumed
 * with `--resume <run-name>`. A second Ctrl-C exits at once.
 */
export async function runCommand(
  argv: readonly string[],
  io: CliIo,
  interrupts: InterruptSource = processInterrupts,
  lifecycle: { running?: boolean } = {},
): Promise<ExitCodeValue> {
  let json = false;
  let runName: string | undefined;
  const summary: RunSummary = {
    actions: 0,
    attempts: 0,
    retries: 0,
    reused: 0,
    cached: 0,
    timedOut: 0,
    cancelled: 0,
  };
  const controller = new AbortController();
  let interrupted = 0;
  const stopListening = interrupts.listen(() => {
    interrupted++;
    if (interrupted === 1) {
      io.err("flyte run: cancelling the run (Ctrl-C again to stop at once)…");
      controller.abort(new RunCancelledError("the run was cancelled (Ctrl-C)"));
    } else {
      io.err("flyte run: stopped");
      process.exit(ExitCode.CANCELLED);
    }
  });
  try {
    const args = parseRunArgs(argv);
    json = args.json;
    if (args.help) {
      io.out(RUN_HELP);
      return ExitCode.OK;
    }
    if (args.file === undefined || args.task === undefined) {
      throw new EntrypointError("expected <file> <task> (see flyte run --help)", {
        source: args.file === undefined ? "<file>" : "<task>",
      });
    }
    let customContext: Readonly<Record<string, string>> | undefined;
    if (args.customContext.length > 0) {
      try {
        // fromEntries: "__proto__" becomes a key to refuse, not a prototype to set.
        customContext = mergeCustomContext(Object.fromEntries(args.customContext));
      } catch (err) {
        throw new EntrypointError(`--custom-context refused: ${(err as Error).message}`, {
          source: "--custom-context",
          cause: err,
        });
      }
    }
    const progress = args.quiet ? undefined : createProgressReporter(io);
    let context: RunContext;
    try {
      context = withRunContext({
        ...(args.runName !== undefined && { name: args.runName }),
        ...(args.resume !== undefined && { resume: true }),
        ...(args.rawDataPath !== undefined && { rawDataPath: args.rawDataPath }),
        ...(args.cachePath !== undefined && { cachePath: args.cachePath }),
        ...(args.overwriteCache && { overwriteCache: true }),
        ...(args.disableRunCache && { disableRunCache: true }),
        ...(customContext !== undefined && { customContext }),
        signal: controller.signal,
        onEvent: (event: RunEvent) => {
          count(summary, event);
          if (event.type === "run-start") runName = event.runName;
          progress?.(event);
        },
      });
    } catch (err) {
      throw new EntrypointError((err as Error).message, { source: optionOf(err), cause: err });
    }

    const exports = await importUserModule(args.file);
    let task: AnyTask;
    try {
      task = findTask(exports, args.task);
    } catch (err) {
      throw new EntrypointError((err as Error).message, {
        exitCode: ExitCode.LOAD_FAILED,
        source: "<task>",
      });
    }
    const taskArgs = bindTaskArgs(task, args.taskTokens);

    let result: unknown;
    lifecycle.running = true;
    try {
      result = await context.run(task, ...taskArgs);
    } catch (err) {
      if (err instanceof ConfigurationError) {
        // The run could not start (a name clash, a resume that does not match, storage that
        // cannot work): the command line was wrong, no task ran.
        throw new EntrypointError(err.message, { source: optionOf(err), cause: err });
      }
      reportFailure(err, io, json, runName, summary);
      return controller.signal.aborted ? ExitCode.CANCELLED : ExitCode.TASK_FAILED;
    } finally {
      lifecycle.running = false;
    }
    const text = toJsonText(result);
    if (!text.ok) {
      io.err(`flyte run: the task succeeded, but its result cannot be printed: ${text.reason}`);
      if (json)
        io.out(
          JSON.stringify({
            ok: false,
            run: runName ?? null,
            error: { name: "ResultNotJson", message: text.reason },
            summary,
          }),
        );
      return ExitCode.IO_FAILED;
    }
    if (json) {
      io.out(
        `{"ok":true,"run":${JSON.stringify(runName ?? null)},"task":${JSON.stringify(task.name)},"result":${text.json},"summary":${JSON.stringify(summary)}}`,
      );
    } else {
      io.out(
        typeof result === "string"
          ? result
          : JSON.stringify(JSON.parse(text.json) as unknown, null, 2),
      );
    }
    return ExitCode.OK;
  } catch (err) {
    if (!(err instanceof EntrypointError)) throw err;
    io.err(`flyte run: ${err.message}`);
    // A module that throws while loading is the user's code failing: its stack helps. Anything
    // else here is the command line, said in one line.
    if (
      err.exitCode === ExitCode.LOAD_FAILED &&
      err.source === "<module>" &&
      err.cause instanceof Error &&
      err.cause.stack !== undefined
    ) {
      io.err(err.cause.stack);
    }
    if (json)
      io.out(
        JSON.stringify({
          ok: false,
          run: runName ?? null,
          error: { ...describeError(err), exitCode: err.exitCode },
        }),
      );
    return err.exitCode;
  } finally {
    stopListening();
  }
}

function count(summary: RunSummary, event: RunEvent): void {
  switch (event.type) {
    case "attempt-start":
      summary.attempts++;
      if (event.attempt === 0) summary.actions++;
      else summary.retries++;
      break;
    case "action-reused":
      summary.actions++;
      summary.reused++;
      break;
    case "action-cached":
      summary.actions++;
      summary.cached++;
      break;
    case "attempt-failure":
      if (event.timedOut === true) summary.timedOut++;
      break;
    case "action-cancelled":
      summary.cancelled++;
      break;
  }
}

function reportFailure(
  err: unknown,
  io: CliIo,
  json: boolean,
  runName: string | undefined,
  summary: RunSummary,
): void {
  const d = describeError(err);
  io.err(`flyte run: ${d.message}`);
  for (const a of d.attempts ?? []) io.err(`  attempt ${a.attempt}: ${a.name}: ${a.message}`);
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.stack !== undefined && !(err instanceof RunCancelledError))
    io.err(cause.stack);
  if (runName !== undefined && err instanceof RunCancelledError)
    io.err(`flyte run: resume it with: flyte run --resume ${runName} …`);
  if (json) io.out(JSON.stringify({ ok: false, run: runName ?? null, error: d, summary }));
}

function optionOf(err: unknown): string {
  const option = (err as { option?: unknown }).option;
  if (option === "name") return "--run-name";
  if (option === "resume") return "--resume";
  if (option === "rawDataPath") return "--raw-data-path";
  if (option === "cachePath") return "--cache-path";
  if (option === "customContext") return "--custom-context";
  return typeof option === "string" ? option : "<options>";
}
