import { Duration } from "./Duration.js";
import type { DurationLike } from "./Duration.js";

/**
 * `value` as a Duration when it is one, a {@link DurationLike} or a number of milliseconds;
 * `undefined` for anything else. Throws `RangeError` for a duration out of protobuf's range or
 * with parts of different signs.
 */
export function durationFrom(value: unknown): Duration | undefined {
  if (value instanceof Duration) return value;
  if (typeof value === "number") return Duration.fromMillis(value);
  if (typeof value === "object" && value !== null && "seconds" in value) {
    return Duration.from(value as DurationLike);
  }
  return undefined;
}
