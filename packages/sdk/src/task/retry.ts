/**
 * Retry strategies, validated as the Python SDK validates `RetryStrategy`/`Backoff` (semantics
 * §7), at the moment a task is defined.
 */
import { RetryStrategyError } from "../errors.js";

/** Exponential backoff between attempts; delays are in milliseconds. */
export interface Backoff {
  /** The first delay, ms (≥ 0). */
  readonly base: number;
  /** Each further delay is multiplied by this (finite, ≥ 1). @default 1 */
  readonly factor?: number;
  /** The longest delay, ms (≥ 0); required when `factor` > 1. */
  readonly cap?: number;
}

/** `retries: 3` (three retries, back to back) or `{ count: 3, backoff: { base, factor, cap } }`. */
export type RetrySpec = number | { readonly count: number; readonly backoff?: Backoff };

/** A validated retry strategy. */
export interface RetryPolicy {
  /** Retries after the first attempt: `maxAttempts = count + 1`. */
  readonly count: number;
  readonly backoff?: Required<Pick<Backoff, "base" | "factor">> & { readonly cap?: number };
}

/** No retries. */
export const NO_RETRIES: RetryPolicy = Object.freeze({ count: 0 });

/**
 * Validates `spec` and returns it normalised and frozen; refuses with a {@link RetryStrategyError}
 * naming the option. `retries: n` with no backoff retries back to back (as `_retry.py` documents).
 */
export function normalizeRetries(spec: RetrySpec | undefined, where = "retries"): RetryPolicy {
  if (spec === undefined) return NO_RETRIES;
  if (typeof spec === "number") return Object.freeze({ count: checkCount(spec, where) });
  if (typeof spec !== "object" || spec === null) {
    throw new RetryStrategyError(
      where,
      `${where} must be a number or { count, backoff? }, got ${describe(spec)}`,
    );
  }
  checkKeys(spec, ["count", "backoff"], where);
  const count = checkCount(spec.count, `${where}.count`);
  if (spec.backoff === undefined) return Object.freeze({ count });
  return Object.freeze({ count, backoff: normalizeBackoff(spec.backoff, `${where}.backoff`) });
}

function normalizeBackoff(b: Backoff, where: string): NonNullable<RetryPolicy["backoff"]> {
  if (typeof b !== "object" || b === null) {
    throw new RetryStrategyError(
      where,
      `${where} must be { base, factor?, cap? }, got ${describe(b)}`,
    );
  }
  checkKeys(b, ["base", "factor", "cap"], where);
  const { base, factor = 1, cap } = b;
  if (typeof base !== "number" || !Number.isFinite(base) || base < 0) {
    throw new RetryStrategyError(
      `${where}.base`,
      `${where}.base must be a finite number ≥ 0 (ms), got ${describe(base)}`,
    );
  }
  if (typeof factor !== "number" || !Number.isFinite(factor) || factor < 1) {
    throw new RetryStrategyError(
      `${where}.factor`,
      `${where}.factor must be a finite number ≥ 1, got ${describe(factor)}`,
    );
  }
  if (cap !== undefined && (typeof cap !== "number" || Number.isNaN(cap) || cap < 0)) {
    throw new RetryStrategyError(
      `${where}.cap`,
      `${where}.cap must be a number ≥ 0 (ms), got ${describe(cap)}`,
    );
  }
  if (factor > 1 && cap === undefined) {
    // Without a cap an exponential backoff grows without bound (the Python SDK refuses it too).
    throw new RetryStrategyError(
      `${where}.cap`,
      `${where}.cap is required when factor > 1 (got factor ${factor})`,
    );
  }
  return Object.freeze(cap === undefined ? { base, factor } : { base, factor, cap });
}

/**
 * The delay before retry number `n` (0 for the first retry): `min(base * factor ** n, cap)`,
 * or 0 without a backoff. A negative or fractional `n` is a programming error (RangeError).
 */
export function computeDelay(policy: RetryPolicy, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`computeDelay needs a whole retry index ≥ 0, got ${n}`);
  }
  const b = policy.backoff;
  if (b === undefined) return 0;
  const raw = b.base * b.factor ** n;
  return b.cap === undefined ? raw : Math.min(raw, b.cap);
}

function checkCount(count: unknown, where: string): number {
  if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 0) {
    throw new RetryStrategyError(
      where,
      `${where} must be a whole number ≥ 0, got ${describe(count)}`,
    );
  }
  return count;
}

function checkKeys(obj: object, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new RetryStrategyError(
        `${where}.${key}`,
        `${where} has an unknown option "${key}" (known: ${allowed.join(", ")})`,
      );
    }
  }
}

function describe(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}
