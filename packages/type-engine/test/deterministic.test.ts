/**
 * toBinaryDeterministic = Python's SerializeToString(deterministic=True): map entries sorted by
 * key (UTF-8 bytes) at any depth, integer-like keys included — checked against the checker's
 * `canonical` (a re-encoding with sorted maps) on messages whose maps protobuf-es would write out
 * of order.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import fc from "fast-check";

import type { JsonObject, Literal, LiteralType } from "@flyte/type-engine";
import { flyteTypes, literalTypeOf, toLiteral } from "@flyte/type-engine";
import {
  fromBinary,
  LiteralSchema,
  LiteralTypeSchema,
  OutputsSchema,
  toBinaryDeterministic,
} from "@flyte/type-engine/proto";

import { withChecker } from "./helpers/interop.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Python's canonical re-encoding of each message (its `canonical`), as hex. */
function pythonCanonical(kind: string, messages: Uint8Array[]): string[] {
  const files = Object.fromEntries(messages.map((m, i) => [`m${i}.pb`, m]));
  return withChecker<string[]>(
    files,
    `print(json.dumps([co.canonical(${JSON.stringify(kind)}, read("m%d.pb" % i)).hex() for i in range(${messages.length})]))`,
  );
}

const TRICKY_KEYS = [
  "10",
  "2",
  "a",
  "é",
  "0",
  "-1",
  "01",
  "4294967295",
  "4294967294",
  "😀",
  "\uffff",
  "\ue000",
  "Z",
  "",
];

function mapOf(keys: readonly string[]): Literal {
  const m: Record<string, number> = {};
  keys.forEach((k, i) => (m[k] = i));
  return toLiteral(m, flyteTypes.map(flyteTypes.integer), "m");
}

test("a map with integer-like, non-ASCII and astral keys is written sorted by UTF-8 bytes", () => {
  const lit = mapOf(TRICKY_KEYS);
  // protobuf-es alone writes Object.keys order: integer-like keys first, numerically.
  const plain = toBinary(LiteralSchema, lit);
  const ours = toBinaryDeterministic(LiteralSchema, lit);
  const [python] = pythonCanonical("Literal", [plain]);
  expect(hex(ours)).toBe(python);
  expect(hex(plain)).not.toBe(python); // the trap is real
  // Written in insertion order "10","2": protobuf-es puts "2" first; sorted as strings "10" < "2".
  expect(hex(toBinaryDeterministic(LiteralSchema, mapOf(["2", "10"])))).toBe(
    pythonCanonical("Literal", [toBinary(LiteralSchema, mapOf(["2", "10"]))])[0],
  );
});

test("Literal.metadata, nested maps and Struct metadata are sorted at every depth", () => {
  const inner = mapOf(["b", "10", "a", "9"]);
  inner.metadata = { z: "1", "10": "2", a: "3" };
  const outer = toLiteral({ x: 1 }, flyteTypes.map(flyteTypes.integer), "o");
  (outer.value.value as { literals: Record<string, Literal> }).literals = {
    "2": inner,
    "10": inner,
    k: inner,
  };
  const schema: JsonObject = {
    type: "object",
    properties: { "10": { type: "integer" }, "2": { type: "string" }, b: { enum: ["x", "10"] } },
    required: ["2", "10"],
  };
  const lt: LiteralType = { ...literalTypeOf(flyteTypes.struct(schema)) };
  const lits = [outer, inner];
  const litPython = pythonCanonical(
    "Literal",
    lits.map((l) => toBinary(LiteralSchema, l)),
  );
  expect(lits.map((l) => hex(toBinaryDeterministic(LiteralSchema, l)))).toEqual(litPython);
  const [ltPython] = pythonCanonical("LiteralType", [toBinary(LiteralTypeSchema, lt)]);
  expect(hex(toBinaryDeterministic(LiteralTypeSchema, lt))).toBe(ltPython);
});

test("messages without out-of-order maps are exactly toBinary (the fast path)", () => {
  const lit = toLiteral([1, 2, 3], flyteTypes.list(flyteTypes.integer), "l");
  expect(hex(toBinaryDeterministic(LiteralSchema, lit))).toBe(hex(toBinary(LiteralSchema, lit)));
});

test("property: random maps of random keys match Python's canonical bytes", () => {
  const key = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 4 }),
    fc.nat({ max: 5000 }).map(String),
    fc.constantFrom(...TRICKY_KEYS),
  );
  const samples = fc.sample(fc.uniqueArray(key, { minLength: 0, maxLength: 12 }), {
    numRuns: 150,
    seed: 42,
  });
  const lits = samples.map((keys) => {
    const lit = mapOf(keys);
    lit.metadata = Object.fromEntries(keys.map((k) => [k, k]));
    return lit;
  });
  const python = pythonCanonical(
    "Literal",
    lits.map((l) => toBinary(LiteralSchema, l)),
  );
  expect(lits.map((l) => hex(toBinaryDeterministic(LiteralSchema, l)))).toEqual(python);
});

test("unknown fields (Literal.artifact_id, Outputs.produced_artifacts) are kept, last", () => {
  // Literal { scalar: primitive integer 7 } + field 9 (artifact_id, unknown to this IDL).
  const literal = Buffer.from("0a040a020807" + "4a03" + "0a0178", "hex");
  const lit = fromBinary(LiteralSchema, literal);
  expect(lit.$unknown?.map((u) => u.no)).toEqual([9]);
  expect(hex(toBinaryDeterministic(LiteralSchema, lit))).toBe(hex(literal));
  // Also through the slow path (an out-of-order map beside the unknown field).
  lit.metadata = { b: "1", a: "2" };
  const [python] = pythonCanonical("Literal", [toBinary(LiteralSchema, lit)]);
  expect(hex(toBinaryDeterministic(LiteralSchema, lit))).toBe(python);
  // Outputs { o0: 42 } + field 3 (produced_artifacts).
  const outputs = Buffer.from("0a0c0a026f3012060a040a02082a" + "1a020801", "hex");
  expect(hex(toBinaryDeterministic(OutputsSchema, fromBinary(OutputsSchema, outputs)))).toBe(
    hex(outputs),
  );
});

test("an empty message and a message with only defaults write 0 bytes", () => {
  expect(toBinaryDeterministic(OutputsSchema, create(OutputsSchema)).length).toBe(0);
});
