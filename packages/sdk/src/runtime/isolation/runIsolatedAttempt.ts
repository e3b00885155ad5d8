/**
 * The parent side of process isolation: one attempt in a forked child process. Whatever ends the
 * child — a result, a thrown error, `process.exit`, an uncaught error, SIGKILL — ends exactly this
 * attempt; the controller then retries from the last checkpoint any attempt saved. When the
 * attempt's signal aborts (a timeout, a cancelled run), the child is told, so its task sees
 * `ctx().signal` abort; a child still running after the grace period is killed. The attempt
 * settles only once the child has exited, so nothing is left running behind it.
 */

import type { TaskContext } from "@flyte/context-core";

import { AttemptCrashedError, IsolationError } from "../../errors.js";
import type { AttemptState, RunState } from "../runState.js";
import type { TaskIdentity } from "../taskIdentity.js";
import type { ChildMessage, ParentMessage, WireAttempt } from "./wire.js";
import { WIRE_VERSION, fromWireError, toWireError } from "./wire.js";
import { workerLaunch } from "./workerPath.js";

/** One isolated attempt. */
export interface IsolatedAttemptSpec {
  readonly id: TaskIdentity;
  /** `inputs.pb` bytes of the call. */
  readonly inputs: Uint8Array;
  /** The attempt (its run, action and number); `saved` is set when the child reports a save. */
  readonly state: AttemptState;
  readonly parent?: string;
  readonly maxAttempts: number;
  readonly checkpointPath: string;
  readonly prevCheckpointPath?: string;
  readonly customContext: Readonly<Record<string, string>>;
  readonly group?: string;
  readonly mode: TaskContext["mode"];
  readonly version: string;
  /** The attempt's signal. */
  readonly signal: AbortSignal;
  /** How long the child may run on after its signal aborted, ms. */
  readonly graceMs: number;
}

const STDERR_TAIL = 4096;

/** Runs one attempt in a child process; resolves to its `outputs.pb` bytes or rejects with its error. */
export async function runIsolatedAttempt(spec: IsolatedAttemptSpec): Promise<Uint8Array> {
  const { id, state } = spec;
  const task = id.task;
  const { run, action, info } = state;
  checkShareable(id, run);
  const module = task.options.module;
  if (module === undefined) {
    throw new IsolationError(
      `${id.label} runs in a child process but the SDK cannot tell which file defines it; pass { module: import.meta.url }`,
    );
  }
  if (spec.signal.aborted) throw spec.signal.reason;
  const wire: WireAttempt = {
    v: WIRE_VERSION,
    module,
    taskName: id.fullName,
    fnName: task.fn.name,
    runName: run.runName,
    runBase: run.runBase,
    cachePath: run.cache.location,
    cacheMode: run.cacheMode,
    resumed: run.resumed,
    actionName: action.name,
    ...(spec.parent !== undefined && { parent: spec.parent }),
    ...(action.project !== undefined && { project: action.project }),
    ...(action.domain !== undefined && { domain: action.domain }),
    ...(action.org !== undefined && { org: action.org }),
    attempt: state.attempt,
    maxAttempts: spec.maxAttempts,
    checkpointPath: spec.checkpointPath,
    ...(spec.prevCheckpointPath !== undefined && { prevCheckpointPath: spec.prevCheckpointPath }),
    customContext: { ...spec.customContext },
    ...(spec.group !== undefined && { group: spec.group }),
    mode: spec.mode,
    version: spec.version,
    runStartTime: run.startTime.toISOString(),
    inputs: spec.inputs,
  };
  const launch = workerLaunch(module);
  // `node:child_process` (and net, dgram with it) is loaded by the first isolated attempt, not
  // at import: keeps import("@flyte/sdk") light.
  const { fork } = process.getBuiltinModule("node:child_process");
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

  return await new Promise<Uint8Array>((resolve, reject) => {
    // The outcome the child reported; the attempt settles when the child has exited.
    let outcome: { ok: true; outputs: Uint8Array } | { ok: false; error: unknown } | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      outcome ??= { ok: false, error: spec.signal.reason };
      send({ type: "abort", reason: toWireError(spec.signal.reason) });
      killTimer = setTimeout(() => child.kill("SIGKILL"), spec.graceMs);
    };
    const send = (message: ParentMessage): void => {
      if (!child.connected) return;
      child.send(message, (error) => {
        if (error !== null && error !== undefined) {
          outcome ??= {
            ok: false,
            error: new IsolationError(`cannot send to the attempt's process: ${error.message}`, {
              cause: error,
            }),
          };
          child.kill("SIGKILL");
        }
      });
    };
    spec.signal.addEventListener("abort", onAbort, { once: true });
    child.on("message", (raw: unknown) => {
      const message = raw as ChildMessage;
      switch (message?.type) {
        case "checkpoint-load":
          if (info !== undefined)
            run.emit({
              type: "checkpoint-load",
              ...info,
              source: message.source,
              found: message.found,
            });
          break;
        case "checkpoint-save":
          state.saved = true;
          if (info !== undefined)
            run.emit({ type: "checkpoint-save", ...info, destination: message.destination });
          break;
        case "result":
          outcome ??= { ok: true, outputs: message.outputs };
          break;
        case "error":
          outcome ??= { ok: false, error: fromWireError(message.error) };
          break;
      }
    });
    child.on("error", (error) => {
      outcome ??= {
        ok: false,
        error: new IsolationError(`cannot start the attempt's process: ${error.message}`, {
          cause: error,
        }),
      };
    });
    child.on("exit", (code, signal) => {
      spec.signal.removeEventListener("abort", onAbort);
      if (killTimer !== undefined) clearTimeout(killTimer);
      const o = outcome ?? {
        ok: false,
        error: new AttemptCrashedError(code, signal, stderrTail.trim()),
      };
      if (o.ok) resolve(o.outputs);
      else reject(o.error as Error);
    });
    send({ type: "run", attempt: wire });
  });
}

function checkShareable(id: TaskIdentity, run: RunState): void {
  if (run.storage !== undefined) {
    throw new IsolationError(
      `${id.label} runs in a child process, which cannot reach the Storage object given to flyte.init; ` +
        "configure storage by URI (a local folder, s3://, abfs://) instead",
    );
  }
  if (/^memory:/i.test(run.runBase)) {
    throw new IsolationError(
      `${id.label} runs in a child process, but memory:// storage lives in one process (${run.runBase}); ` +
        "use a local folder, s3:// or abfs:// so checkpoints and outputs survive the process",
    );
  }
}
