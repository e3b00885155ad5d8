/**
 * The local controller's core: runs one action — a task call — to the end, the way the cluster
 * does. An action that already finished (its `outputs.pb` is stored) is not run again: its
 * outputs are returned (reuse: a retried parent, a resumed run). A cache hit is returned the
 * same way. Otherwise its `inputs.pb` is written and it runs attempt after attempt, each with its
 * own TaskContext, checkpoint path, signal and time limit, in this process or in a child
 * process, until one succeeds (its `outputs.pb` commits the action) or retrying stops (its
 * `error.pb` records why).
 */
import { CheckpointPaths, TaskContext } from "@flyte/context-core";
import type { ActionID, Context } from "@flyte/context-core";
import {
  cacheKey as cacheKeyOf,
  decodeOutputs,
  encodeInputs,
  encodeOutputs,
} from "@flyte/type-engine";
import type { NamedLiteral } from "@flyte/type-engine";

import { formatDuration } from "../duration.js";
import {
  RunCancelledError,
  TaskFailedError,
  TaskTimeoutError,
  isNonRecoverable,
} from "../errors.js";
import type { AttemptFailure } from "../errors.js";
import type { ActionEventBase, ActionInfo } from "../events.js";
import { checkpointPathFor } from "../paths.js";
import { computeDelay } from "../task/retry.js";
import { literalsToArgs, literalsToResult, resultToLiterals } from "../task/taskInterface.js";
import { runCheckpointFactory } from "./checkpointFactory.js";
import { Deadline, raceAbort, sleep } from "./deadline.js";
import { errorDocumentOf } from "./errorDocument.js";
import { runIsolatedAttempt } from "./isolation/runIsolatedAttempt.js";
import type { AttemptState, RunState } from "./runState.js";
import { attemptVar, newAttemptState } from "./runState.js";
import type { TaskIdentity } from "./taskIdentity.js";

/** Everything one action needs, captured synchronously when the task was called. */
export interface ActionSpec {
  readonly id: TaskIdentity;
  /** The call's inputs, in declaration order. */
  readonly literals: readonly NamedLiteral[];
  /** The inputs hash without cache-ignored inputs: in the action's name and its cache key. */
  readonly keyInputsHash: string;
  readonly run: RunState;
  /** The action's identity (its name, run, project/domain/org). */
  readonly action: ActionID;
  readonly parent?: string;
  /** The attempt number of the parent that called it (0 for the root). */
  readonly parentAttempt: number;
  /** The caller's context, which the action's context derives from (other variables). */
  readonly base: Context;
  /** The custom context in force at the call (a frozen snapshot). */
  readonly customContext: Readonly<Record<string, string>>;
  readonly group?: string;
  readonly mode: TaskContext["mode"];
  readonly version: string;
  /** The caller's signal: the run's, or the parent attempt's. */
  readonly signal: AbortSignal;
}

/** What a successful attempt hands back: the outputs, as literals and as `outputs.pb` bytes. */
interface AttemptOutputs {
  readonly literals: readonly NamedLiteral[];
  readonly bytes: Uint8Array;
}

/** Runs an action to its end; resolves to the caller's result or rejects with a TaskFailedError. */
export async function executeAction(spec: ActionSpec): Promise<unknown> {
  const { run, action, id } = spec;
  const task = id.task;
  const name = action.name;
  const iface = task.interface;
  const actionInfo: ActionInfo | undefined = run.listening
    ? {
        runName: run.runName,
        action: name,
        ...(spec.parent !== undefined && { parent: spec.parent }),
        task: id.name,
        ...(spec.group !== undefined && { group: spec.group }),
      }
    : undefined;
  if (spec.signal.aborted) throw cancelled(spec, actionInfo);

  // Finished before (a retried parent, a resumed run): its outputs, not a second run.
  if (run.finished.has(name) || run.consultStore) {
    const stored = await run.store.readOutputs(name, spec.signal);
    if (stored !== undefined) {
      run.finished.add(name);
      if (actionInfo !== undefined)
        run.emit({ type: "action-reused", ...actionInfo, outputsPath: run.store.actionPath(name) });
      return literalsToResult(iface, decodeOutputs(stored), id.label);
    }
  }

  const inputsBytes = encodeInputs([...spec.literals], spec.customContext);
  const cachePolicy = task.options.cache;
  const caching = cachePolicy.behavior !== "disable" && run.cacheMode !== "disable";
  const cacheKey = caching
    ? cacheKeyOf(spec.keyInputsHash, id.fullName, iface.interfaceHash, id.cacheVersion)
    : undefined;
  if (cacheKey !== undefined && cachePolicy.behavior === "auto" && run.cacheMode === "use") {
    const hit = await run.cache.get(id.fullName, cacheKey, spec.signal);
    if (hit !== undefined) {
      await run.store.writeInputs(name, inputsBytes, spec.signal);
      await run.store.writeOutputs(name, hit);
      run.finished.add(name);
      if (actionInfo !== undefined) run.emit({ type: "action-cached", ...actionInfo, cacheKey });
      return literalsToResult(iface, decodeOutputs(hit), id.label);
    }
  }

  // Written while the first attempt starts; awaited before the action commits.
  const inputsWritten = run.store.writeInputs(name, inputsBytes).then(
    () => undefined,
    (error: unknown) => error,
  );

  const policy = task.options.retries;
  const timeout = task.options.timeout;
  const maxAttempts = policy.count + 1;
  // An action a parent retry or a resumed run finds interrupted continues its attempt numbers
  // (so no checkpoint path is reused) and resumes from the last checkpoint any attempt saved.
  const history =
    run.consultStore && (run.resumed || spec.parentAttempt > 0)
      ? await run.store.attemptHistory(name, spec.signal)
      : { nextAttempt: 0 };
  const firstAttempt = history.nextAttempt;
  let lastSaved: string | undefined = history.lastCheckpoint;
  const failures: AttemptFailure[] = [];
  const total = new Deadline(
    spec.signal,
    timeout.totalMs,
    () =>
      new TaskTimeoutError(id.name, "total", timeout.totalMs!, formatDuration(timeout.totalMs!)),
  );
  const checkpointFactory = (run.checkpointFactory ??= runCheckpointFactory(run));
  try {
    for (let n = 0; n < maxAttempts; n++) {
      const attempt = firstAttempt + n;
      const checkpointPath = checkpointPathFor(run.runBase, name, attempt);
      const prevCheckpointPath = lastSaved;
      const info: ActionEventBase | undefined =
        actionInfo === undefined
          ? undefined
          : { ...actionInfo, attempt, maxAttempts: firstAttempt + maxAttempts };
      if (info !== undefined) {
        run.emit({
          type: "attempt-start",
          ...info,
          checkpointPath,
          ...(prevCheckpointPath !== undefined && { prevCheckpointPath }),
          isolation: task.options.isolation,
        });
      }
      const state = newAttemptState(run, action, attempt, info);
      const deadline = new Deadline(
        total.signal,
        timeout.attemptMs,
        () =>
          new TaskTimeoutError(
            id.name,
            "attempt",
            timeout.attemptMs!,
            formatDuration(timeout.attemptMs!),
          ),
      );
      try {
        const outputs =
          task.options.isolation === "process"
            ? await runIsolated(
                spec,
                state,
                checkpointPath,
                prevCheckpointPath,
                firstAttempt + maxAttempts,
                deadline.signal,
                inputsBytes,
              )
            : await runInProcess(
                spec,
                state,
                checkpointPath,
                prevCheckpointPath,
                checkpointFactory,
                deadline.signal,
              );
        const inputsError = await inputsWritten;
        if (inputsError !== undefined) throw inputsError;
        await run.store.writeOutputs(name, outputs.bytes);
        run.finished.add(name);
        if (cacheKey !== undefined) await run.cache.put(id.fullName, cacheKey, outputs.bytes);
        if (info !== undefined) run.emit({ type: "attempt-success", ...info });
        return await literalsToResult(iface, outputs.literals, id.label);
      } catch (error) {
        if (spec.signal.aborted) throw cancelled(spec, actionInfo, spec.signal.reason);
        failures.push({ attempt, error });
        if (state.saved || (await existsQuietly(run, checkpointPath))) lastSaved = checkpointPath;
        const stop = isNonRecoverable(error) || total.signal.aborted;
        const last = n + 1 >= maxAttempts;
        const delayMs = stop || last ? 0 : computeDelay(policy, n);
        if (info !== undefined) {
          run.emit({
            type: "attempt-failure",
            ...info,
            error,
            ...(error instanceof TaskTimeoutError && { timedOut: true }),
            willRetry: !stop && !last,
            delayMs,
          });
        }
        if (!stop && !last) {
          try {
            await sleep(delayMs, total.signal);
            continue;
          } catch (reason) {
            if (spec.signal.aborted) throw cancelled(spec, actionInfo, reason);
            failures.push({ attempt, error: reason });
          }
        }
        const failed = new TaskFailedError({
          taskName: id.name,
          actionName: name,
          runName: run.runName,
          attempts: failures,
          nonRecoverable: isNonRecoverable(failures[failures.length - 1]!.error),
        });
        await run.store.writeError(name, errorDocumentOf(failed)).catch(() => undefined);
        throw failed;
      } finally {
        deadline.dispose();
        disposeQuietly(state.checkpoint);
      }
    }
    // Unreachable: the last attempt returns or throws.
    throw new RunCancelledError("no attempt ran");
  } finally {
    total.dispose();
  }
}

/** One attempt in this process, in a context branch of its own, bounded by `signal`. */
async function runInProcess(
  spec: ActionSpec,
  state: AttemptState,
  checkpointPath: string,
  prevCheckpointPath: string | undefined,
  checkpointFactory: NonNullable<RunState["checkpointFactory"]>,
  signal: AbortSignal,
): Promise<AttemptOutputs> {
  const { run, id } = spec;
  const iface = id.task.interface;
  const tctx = new TaskContext({
    action: spec.action,
    version: spec.version,
    rawDataPath: run.rawDataPath,
    outputPath: run.store.actionPath(spec.action.name),
    runBaseDir: run.runBase,
    checkpointPaths: new CheckpointPaths({
      checkpointPath,
      prevCheckpointPath: prevCheckpointPath ?? null,
    }),
    mode: spec.mode,
    customContext: spec.customContext,
    attemptNumber: state.attempt,
    runStartTime: run.startTime,
    checkpointFactory,
    signal,
  });
  // The child's context derives from its caller's (other context variables flow on); its
  // TaskContext is its own, so the caller's group does not name the child's children.
  const context = spec.base.replaceTaskContext(tctx);
  const work = attemptVar.run(state, () =>
    context.run(async (): Promise<AttemptOutputs> => {
      const args = await literalsToArgs(iface, spec.literals, id.label);
      const result = await id.task.fn(...args);
      const literals = await resultToLiterals(iface, result, id.label);
      return { literals, bytes: encodeOutputs(literals) };
    }),
  );
  return raceAbort(work, signal);
}

/** One attempt in a child process; its outputs come back as `outputs.pb` bytes. */
async function runIsolated(
  spec: ActionSpec,
  state: AttemptState,
  checkpointPath: string,
  prevCheckpointPath: string | undefined,
  maxAttempts: number,
  signal: AbortSignal,
  inputsBytes: Uint8Array,
): Promise<AttemptOutputs> {
  const bytes = await runIsolatedAttempt({
    id: spec.id,
    inputs: inputsBytes,
    state,
    ...(spec.parent !== undefined && { parent: spec.parent }),
    maxAttempts,
    checkpointPath,
    ...(prevCheckpointPath !== undefined && { prevCheckpointPath }),
    customContext: spec.customContext,
    ...(spec.group !== undefined && { group: spec.group }),
    mode: spec.mode,
    version: spec.version,
    signal,
    graceMs: spec.id.task.options.timeout.graceMs,
  });
  return { literals: decodeOutputs(bytes), bytes };
}

function cancelled(
  spec: ActionSpec,
  info: ActionInfo | undefined,
  reason?: unknown,
): RunCancelledError {
  if (info !== undefined) spec.run.emit({ type: "action-cancelled", ...info });
  const why = reason ?? spec.signal.reason;
  const text = why instanceof Error ? why.message : why === undefined ? "" : String(why);
  return new RunCancelledError(
    `task "${spec.id.name}" (action ${spec.action.name}) was cancelled${text === "" ? "" : `: ${text}`}`,
    { cause: why },
  );
}

/**
 * Whether an attempt left a checkpoint at `uri` without the runner seeing the save (a Checkpoint
 * the task built itself, or a child process). A storage fault is not "no checkpoint" to the
 * caller, but it must not fail the retry either: the attempt then runs from the last one known.
 */
async function existsQuietly(run: RunState, uri: string): Promise<boolean> {
  try {
    const { storage, key } = run.resolve(uri);
    return (await storage.head(key)) !== null;
  } catch {
    return false;
  }
}

function disposeQuietly(checkpoint: { dispose?: () => unknown } | undefined): void {
  if (checkpoint === undefined) return;
  const dispose = checkpoint.dispose;
  if (typeof dispose !== "function") return;
  try {
    const r = dispose.call(checkpoint);
    if (r instanceof Promise) r.catch(() => undefined);
  } catch {
    // Cleaning the local workspace is best effort; the attempt's outcome stands.
  }
}
