/**
 * The child-process side of process isolation (forked by runIsolatedAttempt): receives one
 * attempt over IPC, imports the module that exports the task, rebuilds the attempt's TaskContext
 * and runs the task once on the inputs it was sent (`inputs.pb` bytes, decoded and checked as a
 * container would). It reports checkpoint loads and saves as they happen, then the outputs
 * (`outputs.pb` bytes) or the error, and exits. An abort message aborts the task's signal; an
 * uncaught error is reported as the attempt's error; losing the parent ends the process.
 */
import {
  ActionID,
  CheckpointPaths,
  Context,
  ContextData,
  GroupData,
  RawDataPath,
  TaskContext,
} from "@flyte/context-core";
import { mergeCustomContext } from "@flyte/custom-context";
import { decodeInputs, encodeOutputs } from "@flyte/type-engine";

import { IsolationError } from "../../errors.js";
import { joinUri } from "../../paths.js";
import { listTasks } from "../../task/findTask.js";
import type { AnyTask } from "../../task/task.js";
import { taskNameIfKnown } from "../../task/task.js";
import { literalsToArgs, resultToLiterals } from "../../task/taskInterface.js";
import { createCheckpointFactory } from "../checkpointFactory.js";
import { runInTaskContext } from "../runTaskInContext.js";
import { setIsolationImportPhase } from "./importPhase.js";
import type { ChildMessage, ParentMessage, WireAttempt } from "./wire.js";
import { checkWireAttempt, fromWireError, toWireError } from "./wire.js";

const aborter = new AbortController();

/** Sends a message; rejects when it cannot be cloned. */
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

let finishing = false;

async function finish(message: ChildMessage, code: number): Promise<never> {
  if (!finishing) {
    finishing = true;
    try {
      await send(message);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await send({
        type: "error",
        error: toWireError(
          new IsolationError(`the task's outcome cannot be sent to the parent process: ${reason}`),
        ),
      }).catch(() => undefined);
    }
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
  const env = wire.taskName.slice(0, wire.taskName.indexOf("."));
  const tasks = [...listTasks(namespace).values()].filter((t) => t.environment.name === env);
  const task =
    tasks.find((t) => `${env}.${taskNameIfKnown(t) ?? ""}` === wire.taskName) ??
    tasks.find((t) => wire.fnName !== "" && t.fn.name === wire.fnName);
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
  if (message?.type !== "run")
    throw new IsolationError(
      `expected the attempt from the parent process, got ${String(message?.type)}`,
    );
  const problem = checkWireAttempt(message.attempt);
  if (problem !== undefined)
    throw new IsolationError(`bad attempt from the parent process: ${problem}`);
  const wire = message.attempt;
  const customContext = mergeCustomContext(wire.customContext);
  const task = await loadTask(wire);
  // Starting the child and importing the task's module count against the attempt's limit: an
  // attempt aborted by then must not start its body (a listener added to an aborted signal
  // never fires, so the body would only wait for the grace period's SIGKILL). This sees an abort
  // read while the import awaited; one sent while the import held the thread is read only later
  // (measured on Node 20, 24 and 26, even after a setImmediate), and the grace period ends that.
  aborter.signal.throwIfAborted();
  const label = `task "${wire.taskName}"`;
  let checkpoint: { dispose(): unknown } | undefined;
  const inputs = decodeInputs(wire.inputs);
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
    rawDataPath: new RawDataPath(wire.runBase),
    outputPath: joinUri(wire.runBase, wire.actionName),
    runBaseDir: wire.runBase,
    checkpointPaths: new CheckpointPaths({
      checkpointPath: wire.checkpointPath,
      prevCheckpointPath: wire.prevCheckpointPath ?? null,
    }),
    ...(wire.group !== undefined && { groupData: new GroupData(wire.group) }),
    mode: wire.mode,
    customContext,
    attemptNumber: wire.attempt,
    runStartTime: new Date(wire.runStartTime),
    signal: aborter.signal,
    checkpointFactory: createCheckpointFactory({
      onCreate: (c) => (checkpoint = c),
      // Awaited by nobody: IPC messages keep their order, so the parent sees these first.
      onLoad: (found, source) =>
        void send({ type: "checkpoint-load", found, source: source ?? "" }),
      onSave: (destination) => void send({ type: "checkpoint-save", destination }),
    }),
  });
  let outputs: Uint8Array;
  try {
    outputs = await runInTaskContext(
      taskContext,
      {
        base: new Context(new ContextData()),
        cachePath: wire.cachePath,
        cacheMode: wire.cacheMode,
        resumed: wire.resumed,
      },
      async () => {
        const args = await literalsToArgs(task.interface, inputs.literals, label);
        const result = await task.fn(...args);
        return encodeOutputs(await resultToLiterals(task.interface, result, label));
      },
    );
  } finally {
    // The checkpoint's local workspace goes with the attempt (process.exit skips no cleanup then).
    await Promise.resolve(checkpoint?.dispose()).catch(() => undefined);
  }
  await finish({ type: "result", outputs }, 0);
}

process.on(
  "uncaughtException",
  (error) => void finish({ type: "error", error: toWireError(error) }, 1),
);
process.on(
  "unhandledRejection",
  (error) => void finish({ type: "error", error: toWireError(error) }, 1),
);
// Without the parent there is nobody to report to: do not linger.
process.on("disconnect", () => process.exit(1));
process.on("message", (message: ParentMessage) => {
  if (message?.type === "abort") {
    aborter.abort(fromWireError(message.reason));
    return;
  }
  runAttempt(message).catch((error: unknown) =>
    finish({ type: "error", error: toWireError(error) }, 0),
  );
});
