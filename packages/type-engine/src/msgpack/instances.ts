/**
 * The `@msgpack/msgpack` encoders and decoder, made once (an `Encoder` owns a growing buffer; a
 * fresh one per value costs more than the encoding) on first use.
 *
 * Options, chosen so the library writes what msgpack-python's `packb(use_bin_type=True)` writes
 * for the values the packers hand it (see `pack.ts` for how values are prepared):
 * - `useBigInt64`: a `bigint` is written as uint64 (0xcf) when ≥ 0, int64 (0xd3) otherwise — what
 *   Python writes for an int beyond 32 bits; the packers turn smaller ints into numbers, which the
 *   library writes in the smallest form, as Python does.
 * - floats: non-integer numbers are float64 (0xcb), the library's default; `floatEncoder`
 *   (`forceIntegerToFloat`) writes a whole number as float64 where the type says float.
 * - reading, `useBigInt64` gives 64-bit ints as `bigint`; the unpackers turn safe ones back into
 *   numbers. Map keys that are numbers or bigints become strings (JavaScript object keys).
 */
import type { Decoder, Encoder } from "@msgpack/msgpack";

import { loadMsgpack } from "../lazy/msgpackModule.js";

let encoder: Encoder | undefined;
let floatEncoder: Encoder | undefined;
let decoder: Decoder | undefined;

/** The encoder for everything but whole-number floats. */
export function getEncoder(): Encoder {
  return (encoder ??= new (loadMsgpack().Encoder)({ useBigInt64: true }));
}

/** An encoder that writes every number as float64 (for floats the type says are floats). */
export function getFloatEncoder(): Encoder {
  return (floatEncoder ??= new (loadMsgpack().Encoder)({ forceIntegerToFloat: true }));
}

function mapKey(key: unknown): string | number {
  if (typeof key === "string" || typeof key === "number") return key;
  if (typeof key === "bigint" || typeof key === "boolean" || key === null) return String(key);
  throw new TypeError(`a map key of type ${typeof key} has no JavaScript object key form`);
}

/** The decoder (64-bit ints as bigint, scalar map keys as strings). */
export function getDecoder(): Decoder {
  return (decoder ??= new (loadMsgpack().Decoder)({ useBigInt64: true, mapKeyConverter: mapKey }));
}
