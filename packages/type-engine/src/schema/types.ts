/**
 * Schemas of our own for what schema libraries cannot express in JSON Schema (Date, bigint,
 * Duration, File, Dir) and for users without a schema library: each is a Standard Schema (it
 * validates), a Standard JSON Schema (its JSON Schema twin, with `x-flyte-type`), and carries its
 * FlyteType (`"~flyte"`). `types.optional` / `list` / `map` compose any declared schema.
 */
import type { FlyteType } from "../types/FlyteType.js";
import { unionOf } from "../types/FlyteType.js";
import { Dir } from "../values/Dir.js";
import { durationFrom } from "../values/durationFrom.js";
import type { Duration } from "../values/Duration.js";
import type { DurationLike } from "../values/Duration.js";
import { File } from "../values/File.js";
import type { DeclaredSchema, FlyteSchema } from "./FlyteSchema.js";
import { FLYTE_TYPE_PROPERTY } from "./FlyteSchema.js";
import { hasJsonSchema, jsonSchemaOf, markedSchema } from "./jsonSchemaOf.js";
import type { StandardSchemaV1 } from "./StandardSchema.js";
import { typeOfSchema } from "./typeOfSchema.js";

type Result<T> = StandardSchemaV1.Result<T>;
type MaybeAsync<T> = Result<T> | Promise<Result<T>>;

const VENDOR = "flyte";

function fail(message: string, path?: readonly PropertyKey[]): Result<never> {
  return { issues: [path === undefined ? { message } : { message, path }] };
}

function schema<Input, Output>(
  flyte: FlyteType,
  jsonSchema: () => Record<string, unknown>,
  validate: (value: unknown) => MaybeAsync<Output>,
): FlyteSchema<Input, Output> {
  const converter = { input: jsonSchema, output: jsonSchema };
  return Object.freeze({
    "~standard": Object.freeze({
      version: 1 as const,
      vendor: VENDOR,
      validate,
      jsonSchema: converter,
    }),
    [FLYTE_TYPE_PROPERTY]: flyte,
  }) as FlyteSchema<Input, Output>;
}

function primitive<T>(
  flyte: FlyteType,
  json: Record<string, unknown>,
  ok: (v: unknown) => v is T,
  what: string,
): FlyteSchema<T> {
  return schema<T, T>(
    flyte,
    () => ({ ...json }),
    (v) => (ok(v) ? { value: v } : fail(`expected ${what}`)),
  );
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function isInt(v: unknown): v is number | bigint {
  return (
    (typeof v === "number" && Number.isSafeInteger(v)) ||
    (typeof v === "bigint" && v >= INT64_MIN && v <= INT64_MAX)
  );
}

/** The JSON Schema of any declared schema (ours or a library's). */
function jsonOf(s: DeclaredSchema): Record<string, unknown> {
  if (!hasJsonSchema(s)) return {};
  const { $schema: _ignored, ...rest } = jsonSchemaOf(s);
  return rest;
}

function validateWith<T>(s: DeclaredSchema<unknown, T>, v: unknown): MaybeAsync<T> {
  return s["~standard"].validate(v) as MaybeAsync<T>;
}

/** Validates several values with one schema, sync when every result is, with paths prefixed. */
function validateAll<T>(
  s: DeclaredSchema<unknown, T>,
  entries: readonly (readonly [PropertyKey, unknown])[],
  build: (values: T[]) => unknown,
): MaybeAsync<unknown> {
  const results = entries.map(([, v]) => validateWith(s, v));
  const finish = (rs: readonly Result<T>[]): Result<unknown> => {
    const issues = rs.flatMap((r, i) =>
      r.issues === undefined
        ? []
        : r.issues.map((issue) => ({ ...issue, path: [entries[i]![0], ...(issue.path ?? [])] })),
    );
    if (issues.length > 0) return { issues };
    return { value: build(rs.map((r) => (r as StandardSchemaV1.SuccessResult<T>).value)) };
  };
  return results.some((r) => r instanceof Promise)
    ? Promise.all(results).then(finish)
    : finish(results as Result<T>[]);
}

/** One schema object per argument-less helper, so its FlyteType (and compiled converters) is shared. */
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

/** The schema helpers. */
export const types = {
  /** An integer (`number`, safe integers; or `bigint` within int64): Flyte INTEGER. */
  int: once((): FlyteSchema<number | bigint> =>
    primitive({ kind: "integer" }, { type: "integer" }, isInt, "an integer"),
  ),

  /** An int64 that reads back as `bigint` always (a `number` is accepted and made a bigint). */
  int64: once((): FlyteSchema<number | bigint, bigint> =>
    schema<number | bigint, bigint>(
      { kind: "integer", bigint: true },
      () => markedSchema("int64"),
      (v) =>
        isInt(v)
          ? { value: BigInt(v) }
          : fail("expected an int64 (a bigint or a safe-integer number)"),
    ),
  ),

  /** A float (`number`; float64 on the wire even when whole): Flyte FLOAT. */
  float: once((): FlyteSchema<number> =>
    primitive(
      { kind: "float" },
      { type: "number" },
      (v): v is number => typeof v === "number",
      "a number",
    ),
  ),

  /** A string: Flyte STRING. */
  string: once((): FlyteSchema<string> =>
    primitive(
      { kind: "string" },
      { type: "string" },
      (v): v is string => typeof v === "string",
      "a string",
    ),
  ),

  /** A boolean: Flyte BOOLEAN. */
  boolean: once((): FlyteSchema<boolean> =>
    primitive(
      { kind: "boolean" },
      { type: "boolean" },
      (v): v is boolean => typeof v === "boolean",
      "a boolean",
    ),
  ),

  /** A `Date` (UTC, milliseconds): Flyte DATETIME. */
  datetime: once((): FlyteSchema<Date> =>
    primitive(
      { kind: "datetime" },
      markedSchema("datetime"),
      (v): v is Date => v instanceof Date && !Number.isNaN(v.getTime()),
      "a valid Date",
    ),
  ),

  /** A {@link Duration} (a `{seconds, nanos}` or milliseconds are accepted and made one): Flyte DURATION. */
  duration: once((): FlyteSchema<Duration | DurationLike | number, Duration> =>
    schema<Duration | DurationLike | number, Duration>(
      { kind: "duration" },
      () => markedSchema("duration"),
      (v) => {
        try {
          const d = durationFrom(v);
          return d === undefined
            ? fail("expected a Duration, {seconds, nanos} or milliseconds")
            : { value: d };
        } catch (e) {
          return fail((e as Error).message);
        }
      },
    ),
  ),

  /** A {@link File}: a single-part Flyte blob. */
  file: once((): FlyteSchema<File> =>
    primitive(
      { kind: "blob", dimensionality: "single", format: "" },
      markedSchema("file"),
      File.isFile,
      "a File",
    ),
  ),

  /** A {@link Dir}: a multipart Flyte blob. */
  dir: once((): FlyteSchema<Dir> =>
    primitive(
      { kind: "blob", dimensionality: "multipart", format: "" },
      markedSchema("dir"),
      Dir.isDir,
      "a Dir",
    ),
  ),

  /** One of fixed strings: a Flyte enum (Python's string `enum.Enum`). */
  enum: <const V extends readonly string[]>(values: V): FlyteSchema<V[number]> =>
    primitive(
      { kind: "enum", values: [...values] },
      { type: "string", enum: [...values] },
      (v): v is V[number] => typeof v === "string" && values.includes(v),
      `one of ${JSON.stringify(values)}`,
    ),

  /** Anything, by the untyped rule (msgpack, Python's untyped `dict` type). */
  any: once((): FlyteSchema<unknown> =>
    primitive({ kind: "any" }, {}, (v): v is unknown => v !== undefined, "a value"),
  ),

  /** `inner` or null/undefined: Python's `Optional[T]` (a union with none). */
  optional: <I, O>(
    inner: DeclaredSchema<I, O>,
  ): FlyteSchema<I | null | undefined, O | null | undefined> =>
    schema<I | null | undefined, O | null | undefined>(
      unionOf([typeOfSchema(inner, "types.optional"), { kind: "none" }]),
      () => ({ anyOf: [jsonOf(inner), { type: "null" }] }),
      (v) => (v === null || v === undefined ? { value: v } : validateWith(inner, v)),
    ),

  /** An array of `item`: a Flyte collection. */
  list: <I, O>(item: DeclaredSchema<I, O>): FlyteSchema<I[], O[]> =>
    schema<I[], O[]>(
      { kind: "list", of: typeOfSchema(item, "types.list") },
      () => ({ type: "array", items: jsonOf(item) }),
      (v) =>
        Array.isArray(v)
          ? (validateAll(
              item,
              v.map((x, i) => [i, x] as const),
              (values) => values,
            ) as MaybeAsync<O[]>)
          : fail("expected an array"),
    ),

  /** A string-keyed record of `value`: a Flyte map. */
  map: <I, O>(value: DeclaredSchema<I, O>): FlyteSchema<Record<string, I>, Record<string, O>> =>
    schema<Record<string, I>, Record<string, O>>(
      { kind: "map", of: typeOfSchema(value, "types.map") },
      () => ({ type: "object", additionalProperties: jsonOf(value) }),
      (v) => {
        if (typeof v !== "object" || v === null || Array.isArray(v))
          return fail("expected an object");
        const entries = Object.entries(v);
        return validateAll(value, entries, (values) => {
          const out: Record<string, O> = {};
          entries.forEach(([k], i) =>
            Object.defineProperty(out, k, {
              value: values[i],
              enumerable: true,
              writable: true,
              configurable: true,
            }),
          );
          return out;
        }) as MaybeAsync<Record<string, O>>;
      },
    ),
} as const;
