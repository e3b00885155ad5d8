/**
 * The messages between a parent and the child process that runs one isolated attempt. The
 * task's inputs cross as `inputs.pb` bytes and its outputs come back as `outputs.pb` bytes —
 * the same wire a Flyte cluster uses, so an isolated attempt sees exactly what a container would.
 * Messages go over the fork IPC channel with the "advanced" (structured clone) serialization.
 */
import { IsolationError, NonRecoverableError, isNonRecoverable } from "../../errors.js";

/** The version of {@link WireAttempt}; a child refuses another. */
export const WIRE_VERSION = 2;

/** One attempt, as the child receives it. */
export interface WireAttempt {
  readonly v: typeof WIRE_VERSION;
  /** Absolute path of the module that exports the task. */
  readonly module: string;
  /**
   * The task's full name (`<environment>.<name>`) as the parent knows it; the child finds the
   * export holding it. Looked up there, not here: importing the module in the parent could wait
   * on its own top-level await (a script that defines the task and runs it at top level).
   */
  readonly taskName: string;
  /** The task function's own name, a second way to find it (the parent may not have seen its export). */
  readonly fnName: string;
  readonly runName: string;
  /** The run's base folder: the action store of the task's own children. */
  readonly runBase: string;
  readonly cachePath: string;
  readonly cacheMode: "use" | "disable" | "overwrite";
  readonly resumed: boolean;
  readonly actionName: string;
  readonly parent?: string;
  readonly project?: string;
  readonly domain?: string;
  readonly org?: string;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly checkpointPath: string;
  readonly prevCheckpointPath?: string;
  /** The custom context (validated again by the child). */
  readonly customContext: Readonly<Record<string, string>>;
  readonly group?: string;
  readonly mode: "local" | "remote" | "hybrid";
  readonly version: string;
  /** ISO 8601. */
  readonly runStartTime: string;
  /** `flyteidl2.task.Inputs` bytes. */
  readonly inputs: Uint8Array;
}

/** An error as it crosses the boundary: enough to rebuild a useful one on the other side. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
  readonly nonRecoverable: boolean;
}

/** Parent → child. */
export type ParentMessage =
  | { readonly type: "run"; readonly attempt: WireAttempt }
  /** The attempt's signal aborted (a timeout, a cancelled run): the child aborts the task's signal. */
  | { readonly type: "abort"; readonly reason: WireError };

/** Child → parent. */
export type ChildMessage =
  /** `flyteidl2.task.Outputs` bytes. */
  | { readonly type: "result"; readonly outputs: Uint8Array }
  | { readonly type: "error"; readonly error: WireError }
  | { readonly type: "checkpoint-load"; readonly found: boolean; readonly source: string }
  | { readonly type: "checkpoint-save"; readonly destination: string };

/** The wire form of anything thrown. */
export function toWireError(error: unknown): WireError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      ...(error.stack !== undefined && { stack: error.stack }),
      ...(typeof code === "string" && { code }),
      nonRecoverable: isNonRecoverable(error),
    };
  }
  return {
    name: "Error",
    message: `a non-Error value was thrown: ${safeString(error)}`,
    nonRecoverable: false,
  };
}

/**
 * Rebuilds an error from its wire form: a NonRecoverableError or IsolationError when it was one
 * (so `instanceof` holds and retries stop), else an Error with the original name, message, code
 * and stack.
 */
export function fromWireError(wire: WireError): Error {
  const error =
    wire.name === "NonRecoverableError"
      ? new NonRecoverableError(wire.message)
      : wire.name === "IsolationError"
        ? new IsolationError(wire.message)
        : new Error(wire.message);
  Object.defineProperty(error, "name", { value: wire.name, configurable: true, writable: true });
  if (wire.stack !== undefined) error.stack = wire.stack;
  if (wire.code !== undefined) Object.assign(error, { code: wire.code });
  if (wire.nonRecoverable) Object.assign(error, { nonRecoverable: true });
  return error;
}

/** Checks a parent message before anything in it is used; returns a reason when it is bad. */
export function checkWireAttempt(value: unknown): string | undefined {
  if (value === null || typeof value !== "object") return "the attempt is not an object";
  const w = value as Record<string, unknown>;
  if (w["v"] !== WIRE_VERSION) return `wire version ${String(w["v"])} is not ${WIRE_VERSION}`;
  for (const key of [
    "module",
    "taskName",
    "runName",
    "runBase",
    "cachePath",
    "actionName",
    "checkpointPath",
    "version",
    "runStartTime",
    "mode",
  ]) {
    if (typeof w[key] !== "string" || (w[key] as string).length === 0)
      return `"${key}" must be a non-empty string`;
  }
  for (const key of ["attempt", "maxAttempts"]) {
    const n = w[key];
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0)
      return `"${key}" must be a whole number ≥ 0`;
  }
  if (!(w["inputs"] instanceof Uint8Array)) return '"inputs" must be bytes';
  if (typeof w["customContext"] !== "object" || w["customContext"] === null)
    return '"customContext" must be an object';
  if (Number.isNaN(Date.parse(w["runStartTime"] as string))) return '"runStartTime" is not a date';
  return undefined;
}

function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return typeof v;
  }
}
