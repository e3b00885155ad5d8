/** The constant the Python SDK falls back to: a wall-clock fallback would rename children on retry. */
export const EPOCH = new Date("1970-01-01T00:00:00Z");

/**
 * Parses `--run-start-time`. Absent or unparsable → the epoch constant, not `now()`, because the
 * start time is hashed into child action names and a retried parent must mint the same names.
 * A time without a zone is read as UTC, as in the Python SDK.
 */
export function parseRunStartTime(value: string | undefined): Date {
  if (value === undefined) return EPOCH;
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const isoLike = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?/.test(value);
  if (!isoLike) return EPOCH;
  const withT = value.replace(" ", "T");
  const text = hasZone || !withT.includes("T") ? withT : `${withT}Z`;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? EPOCH : date;
}
