import { CustomContextError } from "./errors.js";
import { globalSlot } from "./internal/globalSlot.js";

/** The size limits every merged custom context map is checked against. */
export interface CustomContextLimits {
  /** Most entries a map may hold. @default 64 */
  readonly maxEntries: number;
  /** Most UTF-8 bytes of all keys and values together. @default 8192 (8 KiB) */
  readonly maxBytes: number;
}

/** The limits in force when nothing was configured. */
export const DEFAULT_CUSTOM_CONTEXT_LIMITS: CustomContextLimits = Object.freeze({
  maxEntries: 64,
  maxBytes: 8192,
});

/**
 * What a key must look like: a letter, then letters, digits, `_`, `.` or `-`, at most
 * {@link MAX_CUSTOM_CONTEXT_KEY_LENGTH} characters. ASCII only, so a key is the same in every
 * language, log format and header; no `__proto__`-style key can be formed.
 */
export const CUSTOM_CONTEXT_KEY_PATTERN: RegExp = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** The longest key allowed, in characters (= bytes, keys being ASCII). */
export const MAX_CUSTOM_CONTEXT_KEY_LENGTH = 128;

/** Prefixes kept for the platform (`_u_kickoff_time_input_arg` and the like); refused in user keys. */
export const RESERVED_CUSTOM_CONTEXT_PREFIXES: readonly string[] = Object.freeze(["_u_", "_f_"]);

const slot = globalSlot();

/** The limits in force now (process-wide). */
export function customContextLimits(): CustomContextLimits {
  return slot.limits ?? DEFAULT_CUSTOM_CONTEXT_LIMITS;
}

/**
 * Sets the limits, process-wide, in one place; fields left out keep their current value.
 * Returns the previous limits (so a test can put them back). Maps already set are not re-checked:
 * the new limits apply to the next scope, merge or decode.
 *
 * @throws {CustomContextError} `INVALID_LIMITS` for a limit that is not a whole number ≥ 1.
 */
export function configureCustomContextLimits(
  limits: Partial<CustomContextLimits>,
): CustomContextLimits {
  const previous = customContextLimits();
  const next = { ...previous };
  for (const field of ["maxEntries", "maxBytes"] as const) {
    const value = limits?.[field];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new CustomContextError(
        "INVALID_LIMITS",
        `custom context limit ${field} must be a whole number ≥ 1, got ${String(value)}`,
      );
    }
    next[field] = value;
  }
  slot.limits = Object.freeze(next);
  return previous;
}
