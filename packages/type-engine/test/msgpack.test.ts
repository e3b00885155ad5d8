/**
 * msgpack bytes identical to msgpack-python's `packb(use_bin_type=True)` (the checker's `mp_pack`,
 * itself checked against msgpack-python's outputs): the untyped rule on random values, typed
 * floats as float64 even when whole, ints in their smallest form up to the int64/uint64 edges,
 * and the canonical re-encoding the inputs hash uses.
 */
import fc from "fast-check";

import {
  Duration,
  flyteTypes,
  fromLiteral,
  toLiteral,
  TypeMismatchError,
} from "@flyte/type-engine";

import type { Tagged } from "./helpers/pyvalues.js";
import { PY_FROM_TAGGED, tagged } from "./helpers/pyvalues.js";
import { withChecker } from "./helpers/interop.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** The msgpack bytes inside a literal made by the type engine. */
function packedBytes(value: unknown, t = flyteTypes.any): Uint8Array {
  const lit = toLiteral(value, t, "v");
  const s = lit.value.case === "scalar" ? lit.value.value.value : undefined;
  if (s?.case !== "binary") throw new Error("not a binary literal");
  return s.value.value;
}

function pythonPack(values: Tagged[]): string[] {
  return withChecker<string[]>(
    { "v.json": Buffer.from(JSON.stringify(values)) },
    `${PY_FROM_TAGGED}\nprint(json.dumps([co.mp_pack(py(t)).hex() for t in json.loads(read("v.json"))]))`,
  );
}

const INT_EDGES = [
  0,
  1,
  -1,
  31,
  32,
  -32,
  -33,
  127,
  128,
  -128,
  -129,
  255,
  256,
  65535,
  65536,
  -32768,
  -32769,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  -(2 ** 31) - 1,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53 - 1,
  -(2 ** 53 - 1),
];
const BIG_EDGES = [
  2n ** 53n,
  2n ** 63n - 1n,
  -(2n ** 63n),
  2n ** 64n - 1n,
  -(2n ** 53n) - 1n,
  5n,
  -5n,
  2n ** 32n,
  -(2n ** 31n) - 1n,
];

test("ints at every width boundary, as numbers and as bigints", () => {
  const values = [...INT_EDGES, ...INT_EDGES.map(BigInt), ...BIG_EDGES];
  const python = pythonPack(values.map((v) => tagged(v)));
  expect(values.map((v) => hex(packedBytes(v)))).toEqual(python);
});

test("floats: non-integers, NaN, ±Infinity, -0 and unsafe integers are float64", () => {
  const values = [0.5, -2.25, NaN, Infinity, -Infinity, -0, 2 ** 60, 1e300, 5e-324];
  const python = pythonPack(values.map((v) => tagged(v)));
  expect(values.map((v) => hex(packedBytes(v)))).toEqual(python);
  expect(hex(packedBytes(-0))).toBe("cb8000000000000000");
});

test("a whole number typed float (a JSON Schema `number` field) is float64 0xcb", () => {
  const t = flyteTypes.struct({
    type: "object",
    properties: { score: { type: "number" }, n: { type: "integer" } },
  });
  const bytes = packedBytes({ score: 2, n: 2 }, t);
  const python = pythonPack([tagged({ score: 2, n: 2 }, (p) => p === ".score")]);
  expect(hex(bytes)).toBe(python[0]);
  expect(hex(bytes)).toContain("cb4000000000000000");
  expect(fromLiteral(toLiteral({ score: 2, n: 2 }, t, "v"), t)).toEqual({ score: 2, n: 2 });
});

test("bigints beyond 64 bits are refused with the path", () => {
  expect(() => toLiteral({ a: [2n ** 64n] }, flyteTypes.any, "input x")).toThrow(TypeMismatchError);
  expect(() => toLiteral({ a: [2n ** 64n] }, flyteTypes.any, "input x")).toThrow(
    /input x at \.a\[0\]/,
  );
});

/** Random values of the untyped rule. */
const untyped = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.integer(),
    fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
    fc.double(),
    fc.string({ unit: "grapheme", maxLength: 40 }),
    fc.string({ minLength: 30, maxLength: 300 }),
    fc.boolean(),
    fc.constant(null),
    fc.uint8Array({ maxLength: 300 }),
    fc.date({ min: new Date(-1e14), max: new Date(1e14), noInvalidDate: true }),
  ),
  value: fc.oneof({ maxDepth: 3 }, tie("leaf"), tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 20 }),
  object: fc.dictionary(
    fc
      .oneof(fc.string({ unit: "grapheme", maxLength: 6 }), fc.nat({ max: 100 }).map(String))
      .filter((k) => k !== "__proto__"),
    tie("value"),
    { maxKeys: 20 },
  ),
}));

test("property: the untyped rule packs like msgpack-python (300 random values)", () => {
  const values = fc.sample(untyped.value, { numRuns: 300, seed: 7 });
  const python = pythonPack(values.map((v) => tagged(v)));
  expect(values.map((v) => hex(packedBytes(v)))).toEqual(python);
});

test("property: values read back as they were written (bigint stays bigint beyond 2^53)", () => {
  fc.assert(
    fc.property(untyped.value, (v) => {
      const back = fromLiteral(toLiteral(v, flyteTypes.any, "v"));
      expect(back).toEqual(normalize(v));
    }),
    { numRuns: 300, seed: 11 },
  );
});

/** What the untyped rule reads back: safe bigints as numbers, -0 as -0, dates to the ms. */
function normalize(v: unknown): unknown {
  if (typeof v === "bigint")
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v;
  if (Array.isArray(v)) return v.map(normalize);
  if (v instanceof Uint8Array || v instanceof Date || v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
}

test("undefined, functions, symbols, class instances and Durations are refused, naming the path", () => {
  const bad: [unknown, RegExp][] = [
    [{ a: undefined }, /at \.a: undefined has no msgpack form/],
    [[1, undefined], /at \[1\]/],
    // eslint-disable-next-line no-sparse-arrays
    [[1, , 3], /at \[1\]/],
    [{ f: () => 1 }, /a function/],
    [{ s: Symbol("x") }, /a symbol/],
    [{ c: new (class Point {})() }, /a Point has no msgpack form/],
    [{ m: new Map([[1, 2]]) }, /Map key must be a string/],
    [{ d: new Date(NaN) }, /invalid Date/],
    [{ d: new Duration(1) }, /a Duration inside an undeclared value/],
  ];
  for (const [value, message] of bad) {
    expect(() => toLiteral(value, flyteTypes.any, "input v")).toThrow(message);
  }
  const cyclic: Record<string, unknown> = {};
  cyclic["self"] = cyclic;
  expect(() => toLiteral(cyclic, flyteTypes.any, "input v")).toThrow(/cyclic/);
});

test("a Map with string keys packs as a map", () => {
  expect(hex(packedBytes(new Map([["a", 1]])))).toBe(hex(packedBytes({ a: 1 })));
});

describe("canonical re-encoding (inputs hash)", () => {
  // Bytes Python re-encodes: non-minimal ints, float32, long headers, unsorted and duplicate keys.
  const cases = [
    "d001", // int8 1 -> fixint
    "cd0001", // uint16 1
    "cf0000000000000005", // uint64 5
    "d3fffffffffffffffe", // int64 -2
    "ca3fc00000", // float32 1.5 -> float64
    "d90161", // str8 "a" -> fixstr
    "dc0001c0", // array16 [nil]
    "de0001a16101", // map16 {a:1}
    "82a162 01a161 02".replace(/ /g, ""), // {b:1,a:2} -> sorted
    "83a3626262 01a161 02 01 03".replace(/ /g, ""), // {"bbb":1,"a":2,1:3}: sorted by packed bytes
    "82a16101a16102", // duplicate key: last value wins
    "82c3 01 01 02".replace(/ /g, ""), // {True:1, 1:2} -> one key (True), value 2
    "d6ff00000001", // timestamp32
    "d7ff0000000000000001", // timestamp64 with nsec 0 -> timestamp32
    "c70cff000000000000000000000001", // timestamp96 small -> timestamp32
    "a2c328", // invalid UTF-8: unchanged
    "0102", // trailing bytes: unchanged
    "c1", // never-used byte: unchanged
    "81" + "9100" + "01", // a list key: unhashable, unchanged
    "d40501", // fixext1 type 5
  ];

  test("hand-made encodings match msgpack-python through the checker", async () => {
    const { canonicalMsgpackForTest } = await import("./helpers/internal.js");
    const python = withChecker<string[]>(
      { "c.json": Buffer.from(JSON.stringify(cases)) },
      `print(json.dumps([co.canonical_msgpack(bytes.fromhex(h)).hex() for h in json.loads(read("c.json"))]))`,
    );
    const ours = cases.map((h) => hex(canonicalMsgpackForTest(Buffer.from(h, "hex"))));
    // The checker keeps timestamp extensions as read; msgpack-python (the SDK) re-encodes them
    // minimally, as ours does. Everywhere else they agree.
    const differsOnTimestamps = new Set([13, 14]);
    cases.forEach((_, i) => {
      if (!differsOnTimestamps.has(i)) expect(`${i}:${ours[i]}`).toBe(`${i}:${python[i]}`);
    });
    expect(ours[13]).toBe("d6ff00000001");
    expect(ours[14]).toBe("d6ff00000001");
  });

  test("property: random untyped values re-encode as the checker re-encodes them", async () => {
    const { canonicalMsgpackForTest } = await import("./helpers/internal.js");
    const values = fc.sample(
      untyped.value.filter((v) => !hasDate(v)),
      { numRuns: 300, seed: 3 },
    );
    const packed = values.map((v) => packedBytes(v));
    const python = withChecker<string[]>(
      { "p.json": Buffer.from(JSON.stringify(packed.map(hex))) },
      `print(json.dumps([co.canonical_msgpack(bytes.fromhex(h)).hex() for h in json.loads(read("p.json"))]))`,
    );
    expect(packed.map((p) => hex(canonicalMsgpackForTest(p)))).toEqual(python);
  });
});

test("property: the one-pass re-encoder agrees with the element-by-element one", async () => {
  const { canonicalMsgpackForTest, canonicalMsgpackSlow } = await import("./helpers/internal.js");
  fc.assert(
    fc.property(untyped.value, fc.array(fc.nat(), { maxLength: 3 }), (v, flips) => {
      const bytes = packedBytes(v);
      // Corrupt a few bytes too: both must agree on what Python would leave unchanged.
      const damaged = Uint8Array.from(bytes);
      for (const f of flips)
        if (damaged.length > 0) damaged[f % damaged.length] = damaged[f % damaged.length]! ^ 0x10;
      for (const b of [bytes, damaged])
        expect(hex(canonicalMsgpackForTest(b))).toBe(hex(canonicalMsgpackSlow(b)));
    }),
    { numRuns: 500, seed: 5 },
  );
});

function hasDate(v: unknown): boolean {
  if (v instanceof Date) return true;
  if (Array.isArray(v)) return v.some(hasDate);
  if (v !== null && typeof v === "object" && !(v instanceof Uint8Array))
    return Object.values(v).some(hasDate);
  return false;
}
