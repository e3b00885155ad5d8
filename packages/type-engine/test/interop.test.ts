/**
 * Property-based interop: random typed values -> literals -> inputs.pb files we write -> the
 * checker (python3, one run for all files) computes the Python SDK's inputs hash, which must be
 * ours, and decodes each literal to its tagged view, which must be what the type promises
 * (`{"int": …}` never `{"float": …}`, unions tagged as Python tags them, …). Then the same bytes
 * read back to the same JavaScript values.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import fc from "fast-check";

import type { FlyteType } from "@flyte/type-engine";
import {
  decodeInputs,
  Dir,
  Duration,
  encodeInputs,
  encodeOutputs,
  File,
  flyteTypes,
  fromLiteral,
  inputsHash,
  toLiteral,
} from "@flyte/type-engine";

import { checker, withChecker } from "./helpers/interop.js";

const f64 = (x: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(x);
  return b.toString("hex");
};

/** The checker's type signature (`lt_sig`) of a union variant, tag included. */
function sig(t: FlyteType): string {
  switch (t.kind) {
    case "integer":
      return "integer";
    case "float":
      return "float";
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    case "datetime":
      return "datetime";
    case "duration":
      return "duration";
    case "none":
      return "none";
    case "struct":
    case "any":
      return "struct";
    case "enum":
      return "none"; // the checker does not name enum types
    case "list":
      return `list<${sig(t.of)}>`;
    case "map":
      return `map<${sig(t.of)}>`;
    case "blob":
      return `blob<${t.dimensionality === "single" ? "SINGLE" : "MULTIPART"}>`;
    case "union":
      return `union<${t.variants.map(tagged).join("|")}>`;
  }
}

const TAGS: Record<string, string> = {
  integer: "int",
  float: "float",
  string: "str",
  boolean: "bool",
  datetime: "datetime",
  duration: "timedelta",
  none: "none",
  list: "Typed List",
  map: "Typed Dict",
  any: "Typed Dict",
  union: "Typed Union",
  enum: "DefaultEnumTransformer",
};

function tagged(t: FlyteType): string {
  const tag = t.kind === "blob" ? (t.dimensionality === "single" ? "File" : "Dir") : TAGS[t.kind]!;
  return `${sig(t)}#${tag}`;
}

function pyDatetime(d: Date): string {
  return d
    .toISOString()
    .replace(/\.(\d*?)0*Z$/, (_, frac: string) => (frac === "" ? "Z" : `.${frac}Z`));
}

/** The tagged view the checker must print for value `v` written as type `t`. */
function view(t: FlyteType, v: unknown): unknown {
  switch (t.kind) {
    case "integer":
      return { int: { $i: String(v) } };
    case "float":
      return { float: { $f: f64(v as number) } };
    case "string":
    case "enum":
      return { str: v };
    case "boolean":
      return { bool: v };
    case "datetime":
      return { datetime: pyDatetime(v as Date) };
    case "duration":
      return { duration: (v as Duration).toString() };
    case "none":
      return { none: null };
    case "list":
      return { list: (v as unknown[]).map((x) => view(t.of, x)) };
    case "map":
      return {
        map: Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, view(t.of, x)])),
      };
    case "any":
    case "struct":
      return { binary: "msgpack" };
    case "blob": {
      const b = v as File | Dir;
      const out: Record<string, unknown> = {
        blob: {
          uri: b.uri,
          format: b.format,
          dimensionality: t.dimensionality === "single" ? "SINGLE" : "MULTIPART",
        },
      };
      if (b.hash !== undefined) out["hash"] = b.hash;
      return out;
    }
    case "union": {
      const variant =
        v === null
          ? t.variants.find((x) => x.kind === "none")!
          : t.variants.find((x) => x.kind !== "none")!;
      return { union: { type: tagged(variant), value: view(variant, v) } };
    }
  }
}

/** Python side: the checker's views with ints and floats made exact JSON, msgpack summarised. */
const PY_NORMALIZE = `
import struct
def norm(x):
    if isinstance(x, bool) or x is None: return x
    if isinstance(x, int): return {"$i": str(x)}
    if isinstance(x, float): return {"$f": struct.pack(">d", x).hex()}
    if isinstance(x, list): return [norm(v) for v in x]
    if isinstance(x, dict):
        if "binary" in x:
            b = x["binary"]
            return {"binary": b["tag"] if "msgpack" in b else "UNDECODABLE"}
        return {k: norm(v) for k, v in x.items()}
    return x
`;

/** A random Flyte type and a value of it. */
const typed: fc.Arbitrary<[FlyteType, unknown]> = fc.letrec<{
  pair: [FlyteType, unknown];
  leaf: [FlyteType, unknown];
}>((tie) => ({
  leaf: fc.oneof(
    fc
      .bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
      .map((v) => [flyteTypes.integer, v] as [FlyteType, unknown]),
    fc.integer().map((v) => [flyteTypes.integer, v] as [FlyteType, unknown]),
    fc
      .oneof(fc.double(), fc.integer(), fc.constantFrom(-0, 2, NaN, Infinity, -Infinity))
      .map((v) => [flyteTypes.float, v] as [FlyteType, unknown]),
    fc
      .string({ unit: "grapheme", maxLength: 30 })
      .map((v) => [flyteTypes.string, v] as [FlyteType, unknown]),
    fc.boolean().map((v) => [flyteTypes.boolean, v] as [FlyteType, unknown]),
    fc
      .date({
        min: new Date("1000-01-01T00:00:00Z"),
        max: new Date("9999-12-31T23:59:59Z"),
        noInvalidDate: true,
      })
      .map((v) => [flyteTypes.datetime, v] as [FlyteType, unknown]),
    fc
      .tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 999_999_999 }))
      .map(
        ([s, n]) => [flyteTypes.duration, new Duration(s, s < 0 ? -n : n)] as [FlyteType, unknown],
      ),
    fc.constant([flyteTypes.none, null] as [FlyteType, unknown]),
    fc
      .constantFrom("red", "green")
      .map((v) => [flyteTypes.enum(["red", "green"]), v] as [FlyteType, unknown]),
    fc
      .tuple(
        fc.webUrl(),
        fc.constantFrom("", "csv"),
        fc.option(fc.stringMatching(/^[0-9a-f]{1,8}$/), { nil: undefined }),
        fc.boolean(),
      )
      .map(
        ([uri, format, hash, single]) =>
          [
            single ? flyteTypes.file : flyteTypes.dir,
            single
              ? new File(uri, { format, ...(hash ? { hash } : {}) })
              : new Dir(uri, { format, ...(hash ? { hash } : {}) }),
          ] as [FlyteType, unknown],
      ),
    fc
      .dictionary(
        fc.string({ maxLength: 5 }).filter((k) => k !== "__proto__"),
        fc.oneof(fc.integer(), fc.string(), fc.double(), fc.array(fc.integer())),
      )
      .map((v) => [flyteTypes.any, v] as [FlyteType, unknown]),
  ),
  pair: fc.oneof(
    { maxDepth: 3 },
    tie("leaf"),
    tie("pair").chain(([t, v]) =>
      fc
        .boolean()
        .map((isNone) => [flyteTypes.optional(t), isNone ? null : v] as [FlyteType, unknown]),
    ),
    tie("leaf").chain(([t]) =>
      fc
        .array(valueOf(t), { maxLength: 6 })
        .map((vs) => [flyteTypes.list(t), vs] as [FlyteType, unknown]),
    ),
    tie("leaf").chain(([t]) =>
      fc
        .dictionary(
          fc
            .oneof(fc.string({ unit: "grapheme", maxLength: 5 }), fc.nat({ max: 30 }).map(String))
            .filter((k) => k !== "__proto__"),
          valueOf(t),
          { maxKeys: 6 },
        )
        .map((vs) => [flyteTypes.map(t), vs] as [FlyteType, unknown]),
    ),
  ),
})).pair;

/** More values of a leaf type (a list or map holds values of one type). */
function valueOf(t: FlyteType): fc.Arbitrary<unknown> {
  return typedLeafValues.get(t.kind)!(t);
}
const typedLeafValues = new Map<string, (t: FlyteType) => fc.Arbitrary<unknown>>([
  ["integer", () => fc.oneof(fc.integer(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }))],
  ["float", () => fc.oneof(fc.double(), fc.integer())],
  ["string", () => fc.string({ unit: "grapheme", maxLength: 10 })],
  ["boolean", () => fc.boolean()],
  [
    "datetime",
    () =>
      fc.date({
        min: new Date("1000-01-01T00:00:00Z"),
        max: new Date("9999-12-31T23:59:59Z"),
        noInvalidDate: true,
      }),
  ],
  ["duration", () => fc.integer({ min: -1e12, max: 1e12 }).map((ms) => Duration.fromMillis(ms))],
  ["none", () => fc.constant(null)],
  ["enum", () => fc.constantFrom("red", "green")],
  [
    "blob",
    (t) =>
      fc
        .webUrl()
        .map((u) =>
          t.kind === "blob" && t.dimensionality === "multipart" ? new Dir(u) : new File(u),
        ),
  ],
  [
    "any",
    () =>
      fc.dictionary(
        fc.string({ maxLength: 4 }).filter((k) => k !== "__proto__"),
        fc.integer(),
        { maxKeys: 3 },
      ),
  ],
]);

/** What reading back gives: safe bigints become numbers, durations stay, the rest is equal. */
function readBack(t: FlyteType, v: unknown): unknown {
  switch (t.kind) {
    case "integer":
      return typeof v === "bigint" &&
        v >= BigInt(Number.MIN_SAFE_INTEGER) &&
        v <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(v)
        : v;
    case "list":
      return (v as unknown[]).map((x) => readBack(t.of, x));
    case "map":
      return Object.fromEntries(
        Object.entries(v as object).map(([k, x]) => [k, readBack(t.of, x)]),
      );
    case "union":
      return v === null
        ? null
        : readBack(
            t.variants.find((x) => x.kind !== "none")!,
            v,
          );
    default:
      return v;
  }
}

test("property: 250 random inputs files — Python's hash is ours, its tagged views are the types'", () => {
  const files = fc.sample(fc.array(typed, { minLength: 0, maxLength: 4 }), {
    numRuns: 250,
    seed: 2024,
  });
  const written = files.map((inputs) => {
    const literals = inputs.map(([t, v], i) => ({
      name: `in${i}`,
      literal: toLiteral(v, t, `input in${i}`),
    }));
    return { inputs, literals, bytes: encodeInputs(literals, [["k", "v"]]) };
  });
  const python = withChecker<
    { hash: string; literals: [string, unknown][]; context: [string, string][] }[]
  >(
    Object.fromEntries(written.map((w, i) => [`f${i}.pb`, w.bytes])),
    `${PY_NORMALIZE}
out = []
for i in range(${written.length}):
    v = co.inputs_view(read("f%d.pb" % i))
    out.append({"hash": v["inputs_hash"], "literals": norm(v["literals"]), "context": v["context"]})
print(json.dumps(out))`,
  );
  written.forEach((w, i) => {
    const p = python[i]!;
    expect(p.hash).toBe(inputsHash(w.literals));
    expect(p.context).toEqual([["k", "v"]]);
    expect(p.literals).toEqual(w.inputs.map(([t, v], j) => [`in${j}`, view(t, v)]));
    // ... and the bytes read back to the same values.
    const back = decodeInputs(w.bytes);
    expect(back.literals.map((l, j) => fromLiteral(l.literal, w.inputs[j]![0]))).toEqual(
      w.inputs.map(([t, v]) => readBack(t, v)),
    );
  });
});

test("the checker's own commands on files we wrote: outputs --expect, hash, decode", () => {
  const dir = mkdtempSync(join(tmpdir(), "te-cli-"));
  try {
    const outputs = encodeOutputs([
      { name: "o0", literal: toLiteral(42, flyteTypes.integer, "o0") },
      { name: "o1", literal: toLiteral(2, flyteTypes.float, "o1") },
      { name: "o2", literal: toLiteral(["é", "10"], flyteTypes.list(flyteTypes.string), "o2") },
      { name: "o3", literal: toLiteral(null, flyteTypes.optional(flyteTypes.integer), "o3") },
      { name: "o4", literal: toLiteral({ b: 1, a: [true, null] }, flyteTypes.any, "o4") },
    ]);
    writeFileSync(join(dir, "outputs.pb"), outputs);
    const expect_ = [
      ["o0", { int: 42 }],
      ["o1", { float: 2.0 }],
      ["o2", { list: [{ str: "é" }, { str: "10" }] }],
      ["o3", { union: { type: "none#none", value: { none: null } } }],
      ["o4", { binary: { tag: "msgpack", msgpack: { b: 1, a: [true, null] } } }],
    ];
    // JSON.stringify writes 2.0 as 2, an int to Python: say float as Python's JSON does.
    const expectJson = JSON.stringify(expect_).replace('{"float":2}', '{"float":2.0}');
    const r = checker(["outputs", join(dir, "outputs.pb"), "--expect", expectJson]);
    expect(r.stdout).toContain("RESULT: MATCH");
    expect(r.status).toBe(0);
    // A float written where an int is expected is a mismatch: the check can fail.
    const wrong = checker([
      "outputs",
      join(dir, "outputs.pb"),
      "--expect",
      expectJson.replace('{"int":42}', '{"float":42.0}'),
    ]);
    expect(wrong.status).toBe(1);

    const literals = [
      {
        name: "m",
        literal: toLiteral({ "10": 1, "2": 2, a: 3 }, flyteTypes.map(flyteTypes.integer), "m"),
      },
      { name: "u", literal: toLiteral({ z: 1, a: { y: 2.5, b: [1, 2] } }, flyteTypes.any, "u") },
    ];
    writeFileSync(join(dir, "inputs.pb"), encodeInputs(literals, { trace: "t" }));
    const hash = checker(["hash", join(dir, "inputs.pb")]);
    expect(hash.stdout.trim()).toBe(inputsHash(literals));
    const decoded = JSON.parse(checker(["decode", join(dir, "inputs.pb")]).stdout) as {
      inputs_hash: string;
      context: string[][];
    };
    expect(decoded.inputs_hash).toBe(inputsHash(literals));
    expect(decoded.context).toEqual([["trace", "t"]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
