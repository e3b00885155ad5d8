/**
 * The child-process side of process isolation (forked by runIsolatedAttempt): receives one
 * attempt over IPC, imports the module that exports the task, rebuilds the attempt's TaskContext
 * from the wire form and runs the task's body once. It reports checkpoint loads and saves as they
 * happen, then the result or the error, and exits. An uncaught error is reported as the attempt's
 * error; losing the parent ends the process.
 */
import { ActionID, CheckpointPaths, Context, ContextData, RawDataPath, TaskContext } from "@flyte/context-core";
import { decodeCustomContext } from "@flyte/custom-context";

import { createCheckpointFactory } from "../checkpointFactory.js";
import { IsolationError } from "../errors.js";
import { joinUri } from "../paths.js";
import { runTaskInContext } from "../runTaskInContext.js";
import { listTasks } from "../findTask.js";
import { setIsolationImportPhase } from "./importPhase.js";
import type { AnyTask } from "../task.js";
import type { ChildMessage, ParentMessage, WireAttempt } from "./wire.js";
import { checkWireAttempt, toWireError } from "./wire.js";

/** Sends a message; rejects when it cannot be cloned (a result holding a function, say). */
function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined || !process.connected) return resolve();
    try {
      process.send(message, undefined, {}, () => resolve());
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

async function finish(message: ChildMessage, code: number): Promise<never> {
  try {
    await send(message);
  } catch (error) {
    const what = message.type === "result" ? "the task's result" : "the task's error";
    const reason = error instanceof Error ? error.message : String(error);
    await send({
      type: "error",
      error: toWireError(new IsolationError(`${what} cannot be sent to the parent process: ${reason}`)),
    }).catch(() => undefined);
  }
  process.exit(code);
}

async function loadTask(wire: WireAttempt): Promise<AnyTask> {
  let namespace: object;
  setIsolationImportPhase(true);
  try {
    namespace = (await import(wire.module)) as object;
  } catch (cause) {
    throw new IsolationError(
      `cannot import ${wire.module}, the module that defines task "${wire.taskName}": ${String(cause)}`,
      { cause },
    );
  } finally {
    setIsolationImportPhase(false);
  }
  const found = [...listTasks(namespace).values()].filter((t) => t.fullName === wire.taskName);
  const task = found[0];
  if (task === undefined) {
    const name = wire.taskName.slice(wire.taskName.indexOf(".") + 1);
    throw new IsolationError(
      `task "${name}" runs in a child process, so it must be a module-level export of ${wire.module} ` +
        `(export const ${name} = env.task(...)); the child imports the module and finds the task among its exports`,
    );
  }
  return task;
}

async function runAttempt(message: ParentMessage): Promise<void> {
  const problem = checkWireAttempt(message?.attempt);
  if (problem !== undefined) throw new IsolationError(`bad attempt from the parent process: ${problem}`);
  const wire = message.attempt;
  const customContext = decodeCustomContext(wire.customContext);
  const task = await loadTask(wire);
  const action = new ActionID({
    name: wire.actionName,
    runName: wire.runName,
    ...(wire.project !== undefined && { project: wire.project }),
    ...(wire.domain !== undefined && { domain: wire.domain }),
    ...(wire.org !== undefined && { org: wire.org }),
  });
  const taskContext = new TaskContext({
    action,
    version: wire.version,
    rawDataPath: new RawDataPath(wire.runRaw),
    outputPath: joinUri(wire.runRaw, wire.actionName),
    runBaseDir: wire.runRaw,
    checkpointPaths: new CheckpointPaths({
      checkpointPath: wire.checkpointPath,
      prevCheckpointPath: wire.prevCheckpointPath ?? null,
    }),
    mode: wire.mode,
    customContext,
    attemptNumber: wire.attempt,
    runStartTime: new Date(wire.runStartTime),
    checkpointFactory: createCheckpointFactory({
      // Awaited by nobody: IPC messages keep their order, so the parent sees these first.
      onLoad: (found, source) => void send({ type: "checkpoint-load", found, source: source ?? "" }),
      onSave: (destination) => void send({ type: "checkpoint-save", destination }),
    }),
  });
  const value = await runTaskInContext(task, taskContext, message.args as never[], {
    base: new Context(new ContextData()),
  });
  await finish({ type: "result", value }, 0);
}

process.on("uncaughtException", (error) => void finish({ type: "error", error: toWireError(error) }, 1));
process.on("unhandledRejection", (error) => void finish({ type: "error", error: toWireError(error) }, 1));
// Without the parent there is nobody to report to: do not linger.
process.on("disconnect", () => process.exit(1));
process.once("message", (message: ParentMessage) => {
  runAttempt(message).catch((error: unknown) => finish({ type: "error", error: toWireError(error) }, 0));
});
