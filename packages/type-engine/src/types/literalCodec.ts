/**
 * The public conversions between JavaScript values and Flyte literals. Their code lives in the
 * codecs module, loaded by the first call (see `lazy/codecsModule.ts`), so that importing the
 * package stays light; these entry points only forward to it.
 */
import { loadCodecs } from "../lazy/codecsModule.js";
import type { Literal } from "../proto/idl.js";
import type { FlyteType } from "./FlyteType.js";

/**
 * `value` as a Flyte literal of type `t`. Synchronous; throws `TypeMismatchError` naming `where`
 * (e.g. `input "x"`) and the path inside the value when the value does not fit. Reuse the same
 * FlyteType object across calls: its converter is compiled once.
 */
export function toLiteral(value: unknown, t: FlyteType, where: string): Literal {
  return loadCodecs().toLiteral(value, t, where);
}

/**
 * The JavaScript value of `lit`: by the declared type `t` when given (throws `TypeMismatchError`
 * naming `where` when the literal is of another shape), else by the literal's own shape.
 * Integers beyond 2^53 are `bigint`, safe ones `number` (`types.int64()` reads bigint always);
 * a datetime is a `Date` (milliseconds: finer digits dropped); a duration a `Duration`;
 * a blob a `File` or `Dir`.
 */
export function fromLiteral(lit: Literal, t?: FlyteType, where = "value"): unknown {
  return loadCodecs().fromLiteral(lit, t, where);
}
