/**
 * Task timeouts, validated when the task is defined: a limit per attempt (the usual meaning of
 * `timeout`), optionally one for all attempts together, and how long a process-isolated attempt
 * that ignores its abort signal is given before it is killed.
 */
import type { Duration } from "../duration.js";
import { parseDuration } from "../duration.js";
import { TaskDefinitionError } from "../errors.js";

/** `timeout: "30s"` (per attempt), or `{ attempt?, total?, grace? }`. */
export type TimeoutSpec =
  | Duration
  | {
      /** The longest one attempt may run. */
      readonly attempt?: Duration;
      /** The longest all attempts together (retry delays included) may run. */
      readonly total?: Duration;
      /**
       * How long an attempt in its own process (`isolation: "process"`) may keep running after
       * its signal aborted before it is killed. @default "5s"
       */
      readonly grace?: Duration;
    };

/** A validated timeout: milliseconds, `undefined` for no limit. */
export interface TimeoutPolicy {
  readonly attemptMs?: number;
  readonly totalMs?: number;
  readonly graceMs: number;
}

/** The default grace before a process-isolated attempt that ignores its signal is killed. */
export const DEFAULT_GRACE_MS = 5_000;

/** No timeout. */
export const NO_TIMEOUT: TimeoutPolicy = Object.freeze({ graceMs: DEFAULT_GRACE_MS });

const KEYS = ["attempt", "total", "grace"];

/** Validates a timeout option; refuses with a {@link TaskDefinitionError} naming the part. */
export function normalizeTimeout(spec: TimeoutSpec | undefined, where = "timeout"): TimeoutPolicy {
  if (spec === undefined) return NO_TIMEOUT;
  if (typeof spec === "number" || typeof spec === "string") {
    return Object.freeze({ attemptMs: limit(spec, where), graceMs: DEFAULT_GRACE_MS });
  }
  if (typeof spec !== "object" || spec === null) {
    throw new TaskDefinitionError(
      "INVALID_TASK",
      where,
      `${where} must be a duration ("30s", 5000) or { attempt?, total?, grace? }, got ${String(spec)}`,
    );
  }
  for (const key of Object.keys(spec)) {
    if (!KEYS.includes(key)) {
      throw new TaskDefinitionError(
        "INVALID_TASK",
        `${where}.${key}`,
        `${where} has no option "${key}" (known: ${KEYS.join(", ")})`,
      );
    }
  }
  const attemptMs =
    spec.attempt === undefined ? undefined : limit(spec.attempt, `${where}.attempt`);
  const totalMs = spec.total === undefined ? undefined : limit(spec.total, `${where}.total`);
  const grace = spec.grace === undefined ? DEFAULT_GRACE_MS : parseDuration(spec.grace);
  if (grace === undefined) {
    throw new TaskDefinitionError(
      "INVALID_TASK",
      `${where}.grace`,
      `${where}.grace must be a duration ≥ 0, got ${JSON.stringify(spec.grace)}`,
    );
  }
  return Object.freeze({
    ...(attemptMs !== undefined && { attemptMs }),
    ...(totalMs !== undefined && { totalMs }),
    graceMs: grace,
  });
}

function limit(value: Duration, where: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) {
    throw new TaskDefinitionError(
      "INVALID_TASK",
      where,
      `${where} must be a duration > 0: milliseconds, or text such as "30s", "5m", "1h30m"; got ${JSON.stringify(value)}`,
    );
  }
  // setTimeout takes at most 2^31-1 ms; longer limits are waited for in steps.
  return ms;
}
