/**
 * The parent side of process isolation: one attempt in a forked child process. Whatever ends the
 * child — a result, a thrown error, `process.exit`, an uncaught error, SIGKILL — ends exactly this
 * attempt; the controller then retries from the last checkpoint any attempt saved.
 */
import { fork } from "node:child_process";

import type { TaskContext } from "@flyte/context-core";
import { encodeCustomContext } from "@flyte/custom-context";

import { AttemptCrashedError, IsolationError } from "../errors.js";
import type { AttemptState, RunState } from "../runState.js";
import type { AnyTask } from "../task.js";
import type { ChildMessage, ParentMessage, WireAttempt } from "./wire.js";
import { WIRE_VERSION, fromWireError } from "./wire.js";
import { workerLaunch } from "./workerPath.js";

/** One isolated attempt. */
export interface IsolatedAttemptSpec {
  readonly task: AnyTask;
  readonly args: readonly unknown[];
  /** The attempt (its run, action and number); `saved` is set when the child reports a save. */
  readonly state: AttemptState;
  readonly parent?: string;
  readonly maxAttempts: number;
  readonly checkpointPath: string;
  readonly prevCheckpointPath?: string;
  readonly customContext: Readonly<Record<string, string>>;
  readonly mode: TaskContext["mode"];
  readonly version: string;
}

const STDERR_TAIL = 4096;

/** Runs one attempt in a child process; resolves to its result or rejects with its error. */
export async function runIsolatedAttempt(spec: IsolatedAttemptSpec): Promise<unknown> {
  const { task, state } = spec;
  const { run, action, info } = state;
  checkShareable(task, run);
  const module = task.options.module;
  if (module === undefined) {
    throw new IsolationError(
      `task "${task.name}" runs in a child process but the SDK cannot tell which file defines it; pass { module: import.meta.url }`,
    );
  }
  const wire: WireAttempt = {
    v: WIRE_VERSION,
    module,
    taskName: task.fullName,
    runName: run.runName,
    runRaw: run.runRaw,
    actionName: action.name,
    ...(spec.parent !== undefined && { parent: spec.parent }),
    ...(action.project !== undefined && { project: action.project }),
    ...(action.domain !== undefined && { domain: action.domain }),
    ...(action.org !== undefined && { org: action.org }),
    attempt: state.attempt,
    maxAttempts: spec.maxAttempts,
    checkpointPath: spec.checkpointPath,
    ...(spec.prevCheckpointPath !== undefined && { prevCheckpointPath: spec.prevCheckpointPath }),
    customContext: encodeCustomContext(spec.customContext),
    mode: spec.mode,
    version: spec.version,
    runStartTime: run.startTime.toISOString(),
  };
  const launch = workerLaunch(module);
  const child = fork(launch.file, [], {
    execArgv: [...launch.execArgv],
    serialization: "advanced",
    stdio: ["ignore", "inherit", "pipe", "ipc"],
    // The environment as this code sees it (a test runner may sandbox process.env).
    env: process.env,
  });
  let stderrTail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL);
  });

  return await new Promise<unknown>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
    };
    child.on("message", (raw: unknown) => {
      const message = raw as ChildMessage;
      switch (message?.type) {
        case "checkpoint-load":
          if (info !== undefined) run.emit({ type: "checkpoint-load", ...info, source: message.source, found: message.found });
          break;
        case "checkpoint-save":
          state.saved = true;
          if (info !== undefined) run.emit({ type: "checkpoint-save", ...info, destination: message.destination });
          break;
        case "result":
          settle(() => resolve(message.value));
          break;
        case "error":
          settle(() => reject(fromWireError(message.error)));
          break;
      }
    });
    child.on("error", (error) => settle(() => reject(new IsolationError(`cannot start the attempt's process: ${error.message}`, { cause: error }))));
    child.on("exit", (code, signal) => {
      settle(() => reject(new AttemptCrashedError(code, signal, stderrTail.trim())));
    });
    const message: ParentMessage = { type: "run", attempt: wire, args: spec.args };
    child.send(message, (error) => {
      if (error !== null && error !== undefined) {
        settle(() => reject(new IsolationError(`cannot send the task's arguments to its process: ${error.message}`, { cause: error })));
        child.kill("SIGKILL");
      }
    });
  });
}

function checkShareable(task: AnyTask, run: RunState): void {
  if (run.storage !== undefined) {
    throw new IsolationError(
      `task "${task.name}" runs in a child process, which cannot reach the Storage object given to flyte.init; ` +
        "configure storage by URI (a local folder, s3://, abfs://) instead",
    );
  }
  if (/^memory:/i.test(run.runRaw)) {
    throw new IsolationError(
      `task "${task.name}" runs in a child process, but memory:// storage lives in one process (${run.runRaw}); ` +
        "use a local folder, s3:// or abfs:// so checkpoints survive the process",
    );
  }
}
