/**
 * A span of time as Flyte stores it (`google.protobuf.Duration`): whole seconds and nanoseconds,
 * both of the same sign. Python's `timedelta` maps to it; JavaScript has no duration type, and a
 * number of milliseconds loses the nanoseconds Python can send (µs) — hence a value type.
 */

const NANOS_PER_SECOND = 1_000_000_000;
/** protobuf's Duration range: ±10,000 years. */
const MAX_SECONDS = 315_576_000_000;

/** The plain shape accepted wherever a {@link Duration} is. */
export interface DurationLike {
  readonly seconds: number | bigint;
  readonly nanos?: number;
}

/** An immutable duration: `seconds` (integer) and `nanos` (−999,999,999..999,999,999, same sign). */
export class Duration {
  readonly seconds: number;
  readonly nanos: number;

  /** Throws `RangeError` unless both parts are integers of the same sign within protobuf's range. */
  constructor(seconds: number | bigint, nanos = 0) {
    const s = typeof seconds === "bigint" ? Number(seconds) : seconds;
    if (!Number.isSafeInteger(s) || Math.abs(s) > MAX_SECONDS) {
      throw new RangeError(
        `Duration seconds must be an integer within ±${MAX_SECONDS}, got ${String(seconds)}`,
      );
    }
    if (!Number.isInteger(nanos) || Math.abs(nanos) >= NANOS_PER_SECOND) {
      throw new RangeError(`Duration nanos must be an integer within ±999999999, got ${nanos}`);
    }
    if ((s > 0 && nanos < 0) || (s < 0 && nanos > 0)) {
      throw new RangeError(
        `Duration seconds and nanos must have the same sign, got ${s}s ${nanos}ns`,
      );
    }
    // -0 would print and compare oddly; a zero part is plain zero.
    this.seconds = s === 0 ? 0 : s;
    this.nanos = nanos === 0 ? 0 : nanos;
    Object.freeze(this);
  }

  /** From milliseconds (fractions kept to the nanosecond). */
  static fromMillis(ms: number): Duration {
    if (!Number.isFinite(ms))
      throw new RangeError(`Duration milliseconds must be finite, got ${ms}`);
    const seconds = Math.trunc(ms / 1000);
    const nanos = Math.round((ms - seconds * 1000) * 1_000_000);
    // Rounding can carry a whole second (999.9999999 ms).
    if (Math.abs(nanos) >= NANOS_PER_SECOND) return new Duration(seconds + Math.sign(nanos), 0);
    return new Duration(seconds, nanos);
  }

  /** From seconds with a fraction (what mashumaro and pydantic write for a timedelta). */
  static fromSeconds(totalSeconds: number): Duration {
    return Duration.fromMillis(totalSeconds * 1000);
  }

  /** A {@link Duration}, a {@link DurationLike} or a number of milliseconds, as a Duration. */
  static from(value: Duration | DurationLike | number): Duration {
    if (value instanceof Duration) return value;
    if (typeof value === "number") return Duration.fromMillis(value);
    return new Duration(value.seconds, value.nanos ?? 0);
  }

  /** Milliseconds, as a number (nanoseconds below a millisecond become the fraction). */
  toMillis(): number {
    return this.seconds * 1000 + this.nanos / 1_000_000;
  }

  /** Seconds with a fraction. */
  toSeconds(): number {
    return this.seconds + this.nanos / NANOS_PER_SECOND;
  }

  /** Whether `other` is the same span. */
  equals(other: Duration): boolean {
    return this.seconds === other.seconds && this.nanos === other.nanos;
  }

  /** protobuf's JSON form: `"90.0005s"`, `"-1.5s"`, `"0s"`. */
  toString(): string {
    const negative = this.seconds < 0 || this.nanos < 0;
    const frac = String(Math.abs(this.nanos)).padStart(9, "0").replace(/0+$/, "");
    return `${negative ? "-" : ""}${Math.abs(this.seconds)}${frac === "" ? "" : `.${frac}`}s`;
  }

  /** The JSON form of {@link toString}. */
  toJSON(): string {
    return this.toString();
  }
}
