/**
 * The inputs hash, as flyte-sdk computes it (`convert.py` `generate_inputs_hash_for_named_literals`):
 * `""` for no inputs, else base64(sha256(concat of `name + ":" + repr(literal) + ";"`)) where
 * `repr` is `Literal.hash` when set, the reprs of a collection's items, `key + repr` over a map's
 * keys in sorted order, a msgpack binary's literal with its msgpack re-encoded canonically, and
 * otherwise the literal's deterministic bytes. The custom context is never part of it.
 */
import { compareUtf8 } from "../internal/compareUtf8.js";
import { codec } from "../wire/codec.js";
import { canonicalMsgpack } from "../msgpack/canonical.js";
import type { Literal } from "../proto/idl.js";
import type { NamedLiteral } from "../wire/NamedLiteral.js";
import { MSGPACK_TAG } from "../types/toLiteral.js";
import { hashData } from "./hashData.js";

const utf8 = new TextEncoder();

function binaryWithValue(lit: Literal, value: Uint8Array): Literal {
  // Only reached for a scalar binary literal; everything else about it is kept.
  const scalar = lit.value.value as Extract<Literal["value"], { case: "scalar" }>["value"];
  const binary = (scalar.value as Extract<typeof scalar.value, { case: "binary" }>).value;
  return {
    ...lit,
    value: {
      case: "scalar",
      value: { ...scalar, value: { case: "binary", value: { ...binary, value } } },
    },
  };
}

/** The bytes of `lit` that the inputs hash covers (flyte-sdk `generate_inputs_repr_for_literal`). */
export function literalHashRepr(lit: Literal, out: Uint8Array[] = []): Uint8Array[] {
  if (lit.hash !== "") {
    out.push(utf8.encode(lit.hash));
    return out;
  }
  const v = lit.value;
  if (v.case === "collection") {
    for (const item of v.value.literals) literalHashRepr(item, out);
    return out;
  }
  if (v.case === "map") {
    const literals = v.value.literals;
    // Python's sorted() on str: code point order.
    for (const key of Object.keys(literals).sort(compareUtf8)) {
      out.push(utf8.encode(key));
      literalHashRepr(literals[key]!, out);
    }
    return out;
  }
  if (
    v.case === "scalar" &&
    v.value.value.case === "binary" &&
    v.value.value.value.tag === MSGPACK_TAG
  ) {
    const value = v.value.value.value.value;
    const canonical = canonicalMsgpack(value);
    out.push(codec.writeLiteral(canonical === value ? lit : binaryWithValue(lit, canonical)));
    return out;
  }
  out.push(codec.writeLiteral(lit));
  return out;
}

/** The hash pre-image of `literals` (for tests and debugging; {@link inputsHash} hashes it). */
export function inputsHashPreimage(literals: readonly NamedLiteral[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const colon = utf8.encode(":");
  const semicolon = utf8.encode(";");
  for (const { name, literal } of literals) {
    parts.push(utf8.encode(name), colon);
    literalHashRepr(literal, parts);
    parts.push(semicolon);
  }
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The Python SDK's inputs hash of `literals` (in order); `""` when there are none. */
export function inputsHash(literals: readonly NamedLiteral[]): string {
  if (literals.length === 0) return "";
  return hashData(inputsHashPreimage(literals));
}
