/**
 * Durations as users write them: a number of milliseconds, or text — `"500ms"`, `"30s"`,
 * `"1.5m"`, `"1h30m"`, `"2d"`. Parsed once, when an option is given; a bad one is refused then.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/** A duration: milliseconds, or text such as `"30s"`, `"5m"`, `"1h30m"`, `"250ms"`. */
export type Duration = number | string;

/**
 * Milliseconds of `value`, or `undefined` when it is not a duration: a number must be finite and
 * ≥ 0; text is one or more `<number><unit>` parts (units ms, s, m, h, d), whole or decimal.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let end = 0;
  for (let m = PART.exec(text); m !== null; m = PART.exec(text)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    end = PART.lastIndex;
  }
  return end === text.length && Number.isFinite(total) ? total : undefined;
}

/** `90000` → `"1m30s"`, for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [
    ["h", 3_600_000],
    ["m", 60_000],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(`${Number((rest / 1_000).toFixed(3))}s`);
  return parts.join("");
}
