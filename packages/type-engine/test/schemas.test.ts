/**
 * Declared types from Standard Schema libraries (zod 4, valibot via @valibot/to-json-schema,
 * arktype) and from our own helpers: the FlyteType read from each, the LiteralType it declares,
 * what its values become on the wire, and validation at the boundary.
 */
import { toStandardJsonSchema } from "@valibot/to-json-schema";
import { type } from "arktype";
import * as v from "valibot";
import { z } from "zod";

import type { FlyteType, Literal } from "@flyte/type-engine";
import {
  Dir,
  Duration,
  File,
  fromLiteral,
  InputValidationError,
  literalTypeOf,
  OutputValidationError,
  taggedLiteralTypeOf,
  toLiteral,
  TypeDeclarationError,
  typeOfJsonSchema,
  typeOfSchema,
  types,
  validateInput,
  validateOutput,
} from "@flyte/type-engine";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function msgpackOf(lit: Literal): Uint8Array {
  const s = lit.value.case === "scalar" ? lit.value.value.value : undefined;
  if (s?.case !== "binary") throw new Error("not binary");
  return s.value.value;
}

describe("zod 4", () => {
  test("primitives: int -> integer, number -> float, string, boolean, null", () => {
    expect(typeOfSchema(z.int(), "x")).toEqual({ kind: "integer" });
    expect(typeOfSchema(z.number(), "x")).toEqual({ kind: "float" });
    expect(typeOfSchema(z.string(), "x")).toEqual({ kind: "string" });
    expect(typeOfSchema(z.boolean(), "x")).toEqual({ kind: "boolean" });
    expect(typeOfSchema(z.null(), "x")).toEqual({ kind: "none" });
  });

  test("optional / nullable -> union [T, none]; other unions -> union", () => {
    const opt = { kind: "union", variants: [{ kind: "string" }, { kind: "none" }] };
    expect(typeOfSchema(z.string().optional(), "x")).toEqual(opt);
    expect(typeOfSchema(z.string().nullable(), "x")).toEqual(opt);
    expect(typeOfSchema(z.union([z.int(), z.string()]), "x")).toEqual({
      kind: "union",
      variants: [{ kind: "integer" }, { kind: "string" }],
    });
    // A default fills undefined in: not optional.
    expect(typeOfSchema(z.number().default(3), "x")).toEqual({ kind: "float" });
  });

  test("arrays -> list, records -> map, enums -> Flyte enum, objects -> struct with the schema", () => {
    expect(typeOfSchema(z.array(z.int()), "x")).toEqual({ kind: "list", of: { kind: "integer" } });
    expect(typeOfSchema(z.record(z.string(), z.number()), "x")).toEqual({
      kind: "map",
      of: { kind: "float" },
    });
    expect(typeOfSchema(z.enum(["a", "b"]), "x")).toEqual({ kind: "enum", values: ["a", "b"] });
    const obj = typeOfSchema(z.object({ id: z.int(), name: z.string() }), "x");
    expect(obj.kind).toBe("struct");
    const lt = literalTypeOf(obj);
    expect(lt.type).toEqual({ case: "simple", value: 9 });
    expect(lt.annotation?.annotations).toEqual({
      "cache-key-metadata": { "serialization-format": "msgpack" },
    });
    expect(lt.metadata).toMatchObject({
      type: "object",
      properties: { id: { type: "integer" }, name: { type: "string" } },
    });
    expect(lt.metadata).not.toHaveProperty("$schema");
    expect(taggedLiteralTypeOf(obj).structure?.tag).toBe("Object-Dataclass-Transformer");
  });

  test("z.date(), z.bigint(), z.instanceof(Uint8Array / File / Dir) through zod's override hook", () => {
    expect(typeOfSchema(z.date(), "x")).toEqual({ kind: "datetime" });
    expect(typeOfSchema(z.bigint(), "x")).toEqual({ kind: "integer", bigint: true });
    expect(typeOfSchema(z.instanceof(File), "x")).toEqual({
      kind: "blob",
      dimensionality: "single",
      format: "",
    });
    expect(typeOfSchema(z.instanceof(Dir), "x")).toEqual({
      kind: "blob",
      dimensionality: "multipart",
      format: "",
    });
    const t = typeOfSchema(
      z.object({
        when: z.date(),
        big: z.bigint(),
        raw: z.instanceof(Uint8Array),
        f: z.instanceof(File),
        score: z.number(),
      }),
      "x",
    );
    const value = {
      when: new Date("2024-01-02T03:04:05.678Z"),
      big: 2n ** 60n,
      raw: new Uint8Array([1, 2]),
      f: new File("s3://b/k.csv", { format: "csv" }),
      score: 3,
    };
    const lit = toLiteral(value, t, "input x");
    const bytes = hex(msgpackOf(lit));
    expect(bytes).toContain(Buffer.from("2024-01-02T03:04:05.678+00:00").toString("hex")); // ISO string
    expect(bytes).toContain("cf1000000000000000"); // uint64 2^60
    expect(bytes).toContain("c4020102"); // bin
    expect(bytes).toContain("cb4008000000000000"); // 3.0 as float64
    const back = fromLiteral(lit, t) as typeof value;
    expect(back).toEqual(value);
    expect(back.when).toBeInstanceOf(Date);
    expect(back.f).toBeInstanceOf(File);
  });

  test("a recursive object stays one struct and round-trips", () => {
    type Node = { name: string; children: Node[] };
    const node: z.ZodType<Node> = z.object({
      name: z.string(),
      get children() {
        return z.array(node);
      },
    });
    const t = typeOfSchema(node, "x");
    expect(t.kind).toBe("struct");
    const value: Node = { name: "a", children: [{ name: "b", children: [] }] };
    expect(fromLiteral(toLiteral(value, t, "x"), t)).toEqual(value);
  });

  test("an output of a zod object: typed floats stay float64 inside, ints stay ints", () => {
    const t = typeOfSchema(
      z.object({ id: z.int(), score: z.number(), tags: z.array(z.string()) }),
      "output o0",
    );
    const lit = toLiteral({ id: 7, score: 2, tags: ["x"] }, t, "output o0");
    expect(hex(msgpackOf(lit))).toBe("83a2696407a573636f7265cb4000000000000000a47461677391a178");
  });
});

describe("valibot (toStandardJsonSchema)", () => {
  test("objects, integers, nullables, optionals, dates and bigints", () => {
    const s = toStandardJsonSchema(
      v.object({
        id: v.pipe(v.number(), v.integer()),
        n: v.nullable(v.number()),
        d: v.date(),
        b: v.bigint(),
        u: v.instance(Uint8Array),
      }),
    );
    const t = typeOfSchema(s, "x");
    expect(t.kind).toBe("struct");
    const value = { id: 1, n: null, d: new Date(0), b: 5n, u: new Uint8Array([9]) };
    expect(fromLiteral(toLiteral(value, t, "x"), t)).toEqual({ ...value, b: 5n });
    expect(
      typeOfSchema(toStandardJsonSchema(v.array(v.pipe(v.number(), v.integer()))), "x"),
    ).toEqual({ kind: "list", of: { kind: "integer" } });
    expect(typeOfSchema(toStandardJsonSchema(v.optional(v.string())), "x")).toEqual({
      kind: "union",
      variants: [{ kind: "string" }, { kind: "none" }],
    });
    expect(typeOfSchema(toStandardJsonSchema(v.date()), "x")).toEqual({ kind: "datetime" });
  });
});

describe("arktype", () => {
  test("objects, integers, unions, Date, bigint, instanceof", () => {
    const t = typeOfSchema(
      type({
        id: "number.integer",
        score: "number",
        tags: "string[]",
        "opt?": "string",
        nul: "number | null",
        d: "Date",
        b: "bigint",
      }),
      "x",
    );
    expect(t.kind).toBe("struct");
    const value = { id: 1, score: 2, tags: ["a"], nul: null, d: new Date(5), b: 2n ** 63n - 1n };
    const lit = toLiteral(value, t, "x");
    expect(hex(msgpackOf(lit))).toContain("a573636f7265cb4000000000000000");
    expect(fromLiteral(lit, t)).toEqual(value);
    expect(typeOfSchema(type("number.integer[]"), "x")).toEqual({
      kind: "list",
      of: { kind: "integer" },
    });
    expect(typeOfSchema(type("Date"), "x")).toEqual({ kind: "datetime" });
    expect(typeOfSchema(type("string | null"), "x")).toEqual({
      kind: "union",
      variants: [{ kind: "string" }, { kind: "none" }],
    });
  });
});

describe("our helpers (types.*)", () => {
  test("each carries its FlyteType and a JSON Schema twin", () => {
    const cases: [unknown, FlyteType][] = [
      [types.int(), { kind: "integer" }],
      [types.int64(), { kind: "integer", bigint: true }],
      [types.float(), { kind: "float" }],
      [types.string(), { kind: "string" }],
      [types.boolean(), { kind: "boolean" }],
      [types.datetime(), { kind: "datetime" }],
      [types.duration(), { kind: "duration" }],
      [types.file(), { kind: "blob", dimensionality: "single", format: "" }],
      [types.dir(), { kind: "blob", dimensionality: "multipart", format: "" }],
      [types.any(), { kind: "any" }],
      [types.enum(["a", "b"]), { kind: "enum", values: ["a", "b"] }],
      [
        types.optional(types.int()),
        { kind: "union", variants: [{ kind: "integer" }, { kind: "none" }] },
      ],
      [types.list(z.int()), { kind: "list", of: { kind: "integer" } }],
      [types.map(types.float()), { kind: "map", of: { kind: "float" } }],
    ];
    for (const [s, t] of cases) expect(typeOfSchema(s, "x")).toEqual(t);
    expect(types.int()).toBe(types.int()); // one object: converters compiled once
    expect(types.datetime()["~standard"].jsonSchema.input({ target: "draft-2020-12" })).toEqual({
      type: "string",
      format: "date-time",
      "x-flyte-type": "datetime",
    });
    // Inside a zod object, ours are not embeddable; in a types.list they are.
    expect(
      types.list(types.datetime())["~standard"].jsonSchema.input({ target: "draft-2020-12" }),
    ).toMatchObject({ items: { "x-flyte-type": "datetime" } });
  });

  test("validation: sync results, transforms (ms -> Duration, number -> bigint), paths in issues", async () => {
    expect(await validateInput(types.duration(), 1500, "d")).toEqual(new Duration(1, 500_000_000));
    expect(await validateInput(types.int64(), 5, "n")).toBe(5n);
    await expect(validateInput(types.list(types.int()), [1, 2.5], "xs")).rejects.toMatchObject({
      name: "InputValidationError",
      input: "xs",
      issues: [{ message: "expected an integer", path: [1] }],
    });
    await expect(validateInput(types.map(z.string()), { a: 1 }, "m")).rejects.toThrow(
      /input "m" is invalid: a:/,
    );
  });
});

describe("validation at the boundary", () => {
  test("InputValidationError names the input and keeps the schema's issues", async () => {
    const s = z.object({ n: z.int().positive() });
    const err = await validateInput(s, { n: -1 }, "x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputValidationError);
    expect((err as InputValidationError).input).toBe("x");
    expect((err as InputValidationError).issues[0]!.path).toEqual(["n"]);
    expect(await validateInput(s, { n: 2 }, "x")).toEqual({ n: 2 });
  });

  test("OutputValidationError names the output; async schemas work too", async () => {
    const s = z.string().refine(async (x) => x.length > 2, "too short");
    await expect(validateOutput(s, "ab", "o0")).rejects.toBeInstanceOf(OutputValidationError);
    await expect(validateOutput(s, "ab", "o0")).rejects.toMatchObject({
      output: "o0",
      code: "OUTPUT_VALIDATION",
    });
    expect(await validateOutput(s, "abc", "o0")).toBe("abc");
  });
});

describe("declarations the engine refuses", () => {
  test("a schema without a JSON Schema", () => {
    const s = {
      "~standard": { version: 1, vendor: "x", validate: (x: unknown) => ({ value: x }) },
    };
    expect(() => typeOfSchema(s, 'input "x"')).toThrow(TypeDeclarationError);
    expect(() => typeOfSchema(s, 'input "x"')).toThrow(/^input "x": the schema has no JSON Schema/);
  });

  test("a JSON Schema the library cannot make, a mixed enum, a non-schema", () => {
    const noJson = {
      "~standard": {
        version: 1,
        vendor: "x",
        validate: () => ({ value: 1 }),
        jsonSchema: {
          input: () => {
            throw new Error("nope");
          },
          output: () => ({}),
        },
      },
    };
    expect(() => typeOfSchema(noJson, "output o0")).toThrow(
      /output o0: its JSON Schema could not be made: nope/,
    );
    expect(() => typeOfJsonSchema({ enum: ["a", 1] }, "input e")).toThrow(
      /input e: an enum of mixed values/,
    );
    expect(() => typeOfJsonSchema({ not: { type: "string" } }, "input n")).toThrow(
      TypeDeclarationError,
    );
    expect(() => typeOfSchema(42, "x")).toThrow(TypeDeclarationError);
  });
});
