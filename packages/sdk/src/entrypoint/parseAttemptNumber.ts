import { EntrypointError } from "./EntrypointError.js";

/**
 * Parses an attempt number once, as a whole: `"0"`, `"3"`; never `"1.5"`, `"-1"`, `"2abc"` or
 * `"1e3"` (which `parseInt`/`Number` would half-accept). `undefined` (absent) means attempt 0.
 *
 * @param value the normalised flag or variable value, `undefined` when absent
 * @param source the flag or variable it came from, named in the error
 */
export function parseAttemptNumber(value: string | undefined, source: string): number {
  if (value === undefined) return 0;
  if (!/^\d+$/.test(value)) {
    throw new EntrypointError(
      `${source} must be a whole number ≥ 0 (0 on the first attempt), got ${JSON.stringify(value)}`,
      { source },
    );
  }
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new EntrypointError(`${source} is too large: ${value}`, { source });
  }
  return n;
}
