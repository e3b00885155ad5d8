/**
 * The inputs hash, as flyte-sdk computes it (`convert.py` `generate_inputs_hash_for_named_literals`):
 * `""` for no inputs, else base64(sha256(concat of `name + ":" + repr(literal) + ";"`)) where
 * `repr` is `Literal.hash` when set, the reprs of a collection's items, `key + repr` over a map's
 * keys in sorted order, a msgpack binary's literal with its msgpack re-encoded canonically, and
 * otherwise the literal's deterministic bytes. The custom context is never part of it.
 */

import { compareUtf8 } from "../internal/compareUtf8.js";
import type { Literal } from "../proto/idl.js";
import { loadCodecs } from "../lazy/codecsModule.js";
import { MSGPACK_TAG } from "../types/msgpackTag.js";
import { codec } from "../wire/codec.js";
import type { NamedLiteral } from "../wire/NamedLiteral.js";

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

/** `lit` ready to be serialized for the hash: its msgpack re-encoded canonically if it has one. */
function hashable(lit: Literal): Literal {
  const v = lit.value;
  if (
    v.case === "scalar" &&
    v.value.value.case === "binary" &&
    v.value.value.value.tag === MSGPACK_TAG
  ) {
    const value = v.value.value.value.value;
    const canonical = loadCodecs().canonicalMsgpack(value);
    if (canonical !== value) return binaryWithValue(lit, canonical);
  }
  return lit;
}

/**
 * The bytes of `lit` that the inputs hash covers (flyte-sdk `generate_inputs_repr_for_literal`),
 * appended to `out`. The plain literals of a collection or map are serialized together in one
 * pass (same bytes, one `toBinary` instead of one per item).
 */
export function literalHashRepr(lit: Literal, out: Uint8Array[] = []): Uint8Array[] {
  if (lit.hash !== "") {
    out.push(utf8.encode(lit.hash));
    return out;
  }
  const v = lit.value;
  if (v.case !== "collection" && v.case !== "map") {
    out.push(codec.writeLiteral(hashable(lit)));
    return out;
  }
  // Items in hash order (a map's keys sorted as Python sorts str: code point order).
  const keys = v.case === "map" ? Object.keys(v.value.literals).sort(compareUtf8) : undefined;
  const items: Literal[] =
    keys === undefined
      ? (v.value as { literals: Literal[] }).literals
      : keys.map((k) => (v.value as { literals: Record<string, Literal> }).literals[k]!);
  // The plain ones (no hash, not a collection or map) are written together, in one pass.
  const plain: Literal[] = [];
  for (const item of items) {
    if (item.hash === "" && item.value.case !== "collection" && item.value.case !== "map")
      plain.push(hashable(item));
  }
  const written = plain.length > 0 ? codec.writeLiterals(plain) : [];
  let next = 0;
  for (let k = 0; k < items.length; k++) {
    const item = items[k]!;
    if (keys !== undefined) out.push(utf8.encode(keys[k]!));
    if (item.hash === "" && item.value.case !== "collection" && item.value.case !== "map")
      out.push(written[next++]!);
    else literalHashRepr(item, out);
  }
  return out;
}

function preimageParts(literals: readonly NamedLiteral[]): Uint8Array[] {
  const parts: Uint8Array[] = [];
  const colon = utf8.encode(":");
  const semicolon = utf8.encode(";");
  for (const { name, literal } of literals) {
    parts.push(utf8.encode(name), colon);
    literalHashRepr(literal, parts);
    parts.push(semicolon);
  }
  return parts;
}

/** The hash pre-image of `literals` (for tests and debugging; {@link inputsHash} hashes it). */
export function inputsHashPreimage(literals: readonly NamedLiteral[]): Uint8Array {
  return Buffer.concat(preimageParts(literals));
}

/** The Python SDK's inputs hash of `literals` (in order); `""` when there are none. */
export function inputsHash(literals: readonly NamedLiteral[]): string {
  if (literals.length === 0) return "";
  // The pre-image's parts go to sha256 one by one: the same digest, no concatenated copy.
  // `node:crypto` is loaded on first use, not at import: keeps import("@flyte/sdk") light.
  const h = process.getBuiltinModule("node:crypto").createHash("sha256");
  for (const part of preimageParts(literals)) h.update(part);
  return h.digest("base64");
}
