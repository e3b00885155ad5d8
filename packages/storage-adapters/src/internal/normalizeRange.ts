import { InvalidArgumentError } from "../errors.js";

/**
 * Checks a `[start, end)` range and clamps it to `size`: an `end` past the object is cut to its
 * size (as HTTP ranges are), a `start` past it gives an empty range.
 */
export function normalizeRange(
  range: readonly [number, number] | undefined,
  size: number,
  uri: string,
): { readonly start: number; readonly end: number } {
  if (range === undefined) return { start: 0, end: size };
  if (!Array.isArray(range) || range.length !== 2) {
    throw new InvalidArgumentError(uri, "range must be a [start, end) pair");
  }
  const [start, end] = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new InvalidArgumentError(
      uri,
      `range [${String(start)}, ${String(end)}) must be integers with 0 <= start <= end`,
    );
  }
  return { start: Math.min(start, size), end: Math.min(end, size) };
}
