/**
 * JavaScript value + FlyteType -> `flyteidl2.core.Literal`, as the Python SDK's transformers make
 * the literal for the same Python value. The type decides, never the value: `2` typed float is
 * `float_value`, typed integer `integer`. A converter is compiled once per FlyteType object and
 * cached, so a list of 10,000 records derives nothing 10,000 times.
 */
import { TypeMismatchError } from "../errors.js";
import { describe, isPlainObject } from "../internal/describe.js";
import type { PathNode } from "../internal/PathNode.js";
import { child, pathText } from "../internal/PathNode.js";
import { accepts as planAccepts, packMsgpack } from "../msgpack/pack.js";
import { ANY } from "../msgpack/Plan.js";
import type { Literal } from "../proto/idl.js";
import {
  Dimensionality,
  binaryLiteral,
  blobLiteral,
  collectionLiteral,
  durationMessage,
  mapLiteral,
  noneLiteral,
  primitiveLiteral,
  timestamp,
  unionLiteral,
} from "../proto/messages.js";
import { planOfJsonSchema } from "../schema/planOfJsonSchema.js";
import { compareUtf8 } from "../internal/compareUtf8.js";
import { Dir } from "../values/Dir.js";
import { Duration } from "../values/Duration.js";
import { durationFrom } from "../values/durationFrom.js";
import { File } from "../values/File.js";
import type { FlyteType } from "./FlyteType.js";
import { taggedLiteralTypeOf } from "./literalTypeOf.js";
import { MSGPACK_TAG } from "./msgpackTag.js";

type ToLiteral = (value: unknown, where: string, path: PathNode | undefined) => Literal;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function mismatch(where: string, path: PathNode | undefined, message: string): TypeMismatchError {
  return new TypeMismatchError(where, pathText(path), message);
}

function integer(value: unknown, where: string, path: PathNode | undefined): bigint {
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "bigint") {
    if (value < INT64_MIN || value > INT64_MAX)
      throw mismatch(where, path, `${value}n does not fit in int64`);
    return value;
  }
  throw mismatch(
    where,
    path,
    `expected an integer (a safe-integer number or a bigint), got ${describe(value)}`,
  );
}

/** A Duration, a `{seconds, nanos}`, or milliseconds (a number), as a Duration. */
function toDuration(value: unknown, where: string, path: PathNode | undefined): Duration {
  let d: Duration | undefined;
  try {
    d = durationFrom(value);
  } catch (e) {
    throw mismatch(where, path, (e as Error).message);
  }
  if (d === undefined) {
    throw mismatch(
      where,
      path,
      `expected a Duration, {seconds, nanos} or milliseconds, got ${describe(value)}`,
    );
  }
  return d;
}

/** Whether `t` takes `value` in a union; `lenient` admits the conversions a plain type admits. */
function takes(t: FlyteType, value: unknown, lenient: boolean): boolean {
  switch (t.kind) {
    case "integer":
      return (
        typeof value === "bigint" || (typeof value === "number" && Number.isSafeInteger(value))
      );
    case "float":
      return typeof value === "number";
    case "string":
      return typeof value === "string";
    case "enum":
      return typeof value === "string" && t.values.includes(value);
    case "boolean":
      return typeof value === "boolean";
    case "datetime":
      return value instanceof Date;
    case "duration":
      return (
        value instanceof Duration ||
        (lenient &&
          (typeof value === "number" ||
            (typeof value === "object" && value !== null && "seconds" in value)))
      );
    case "none":
      return value === null || value === undefined;
    case "list":
      return Array.isArray(value);
    case "map":
      return value instanceof Map || isPlainObject(value);
    case "struct":
      return t.jsonSchema === undefined
        ? value instanceof Map || isPlainObject(value)
        : planAccepts(planOfJsonSchema(t.jsonSchema), value);
    case "blob":
      return t.dimensionality === "single" ? File.isFile(value) : Dir.isDir(value);
    case "any":
      return value !== undefined;
    case "union":
      return t.variants.some((v) => takes(v, value, lenient));
  }
}

function compile(t: FlyteType): ToLiteral {
  switch (t.kind) {
    case "integer":
      return (v, where, path) =>
        primitiveLiteral({ case: "integer", value: integer(v, where, path) });
    case "float":
      return (v, where, path) => {
        if (typeof v !== "number")
          throw mismatch(where, path, `expected a number, got ${describe(v)}`);
        return primitiveLiteral({ case: "floatValue", value: v });
      };
    case "string":
      return (v, where, path) => {
        if (typeof v !== "string")
          throw mismatch(where, path, `expected a string, got ${describe(v)}`);
        return primitiveLiteral({ case: "stringValue", value: v });
      };
    case "enum": {
      const values = new Set(t.values);
      return (v, where, path) => {
        if (typeof v !== "string" || !values.has(v)) {
          throw mismatch(
            where,
            path,
            `expected one of ${JSON.stringify([...values])}, got ${typeof v === "string" ? JSON.stringify(v) : describe(v)}`,
          );
        }
        return primitiveLiteral({ case: "stringValue", value: v });
      };
    }
    case "boolean":
      return (v, where, path) => {
        if (typeof v !== "boolean")
          throw mismatch(where, path, `expected a boolean, got ${describe(v)}`);
        return primitiveLiteral({ case: "boolean", value: v });
      };
    case "datetime":
      return (v, where, path) => {
        if (!(v instanceof Date) || Number.isNaN(v.getTime())) {
          throw mismatch(where, path, `expected a valid Date, got ${describe(v)}`);
        }
        const ms = v.getTime();
        const seconds = Math.floor(ms / 1000);
        return primitiveLiteral({
          case: "datetime",
          value: timestamp(BigInt(seconds), (ms - seconds * 1000) * 1_000_000),
        });
      };
    case "duration":
      return (v, where, path) => {
        const d = toDuration(v, where, path);
        return primitiveLiteral({
          case: "duration",
          value: durationMessage(BigInt(d.seconds), d.nanos),
        });
      };
    case "none":
      return (v, where, path) => {
        if (v !== null && v !== undefined)
          throw mismatch(where, path, `expected null, got ${describe(v)}`);
        return noneLiteral();
      };
    case "union": {
      const variants = t.variants.map((variant) => ({
        variant,
        convert: converterOf(variant),
        type: taggedLiteralTypeOf(variant),
      }));
      const noneVariant = variants.find((x) => x.variant.kind === "none");
      return (v, where, path) => {
        // null is none whenever none is a variant (Python: None's own type is in the union);
        // otherwise the first variant whose shape takes the value, as declared; then with
        // conversions (milliseconds for a duration) when none takes it as it is.
        const chosen =
          (v === null || v === undefined ? noneVariant : undefined) ??
          variants.find((x) => takes(x.variant, v, false)) ??
          variants.find((x) => takes(x.variant, v, true));
        if (chosen === undefined) {
          throw mismatch(where, path, `${describe(v)} fits none of the union's variants`);
        }
        return unionLiteral(chosen.convert(v, where, path), chosen.type);
      };
    }
    case "list": {
      const item = converterOf(t.of);
      return (v, where, path) => {
        if (!Array.isArray(v)) throw mismatch(where, path, `expected an array, got ${describe(v)}`);
        const out: Literal[] = new Array<Literal>(v.length);
        for (let i = 0; i < v.length; i++) out[i] = item(v[i], where, child(path, i));
        return collectionLiteral(out);
      };
    }
    case "map": {
      const item = converterOf(t.of);
      return (v, where, path) => {
        const entries =
          v instanceof Map
            ? [...(v as Map<unknown, unknown>)]
            : isPlainObject(v)
              ? Object.entries(v)
              : undefined;
        if (entries === undefined)
          throw mismatch(where, path, `expected an object or a Map, got ${describe(v)}`);
        // Keys in UTF-8 order, so the literal is usually already in deterministic order.
        entries.sort((a, b) => compareUtf8(String(a[0]), String(b[0])));
        const literals: { [key: string]: Literal } = {};
        for (const [key, value] of entries) {
          if (typeof key !== "string")
            throw mismatch(where, path, `a map key must be a string, got ${describe(key)}`);
          const lit = item(value, where, child(path, key));
          if (key === "__proto__")
            Object.defineProperty(literals, key, {
              value: lit,
              enumerable: true,
              writable: true,
              configurable: true,
            });
          else literals[key] = lit;
        }
        return mapLiteral(literals);
      };
    }
    case "struct": {
      if (t.jsonSchema === undefined) {
        return (v, where, path) => {
          if (!(v instanceof Map) && !isPlainObject(v)) {
            throw mismatch(where, path, `expected an object (an untyped dict), got ${describe(v)}`);
          }
          return binaryLiteral(packMsgpack(v, ANY, where, path), MSGPACK_TAG);
        };
      }
      const plan = planOfJsonSchema(t.jsonSchema);
      return (v, where, path) => binaryLiteral(packMsgpack(v, plan, where, path), MSGPACK_TAG);
    }
    case "any":
      return (v, where, path) => binaryLiteral(packMsgpack(v, ANY, where, path), MSGPACK_TAG);
    case "blob": {
      const single = t.dimensionality === "single";
      return (v, where, path) => {
        if (single ? !File.isFile(v) : !Dir.isDir(v)) {
          throw mismatch(where, path, `expected a ${single ? "File" : "Dir"}, got ${describe(v)}`);
        }
        const blob = v as File | Dir;
        return blobLiteral(
          blob.uri,
          blob.format,
          single ? Dimensionality.SINGLE : Dimensionality.MULTIPART,
          blob.hash ?? "",
        );
      };
    }
  }
}

const converters = new WeakMap<FlyteType, ToLiteral>();

function converterOf(t: FlyteType): ToLiteral {
  let c = converters.get(t);
  if (c === undefined) {
    c = compile(t);
    converters.set(t, c);
  }
  return c;
}

/**
 * `value` as a Flyte literal of type `t`. Synchronous; throws `TypeMismatchError` naming `where`
 * (e.g. `input "x"`) and the path inside the value when the value does not fit. Reuse the same
 * FlyteType object across calls: its converter is compiled once.
 */
export function toLiteral(value: unknown, t: FlyteType, where: string): Literal {
  return converterOf(t)(value, where, undefined);
}
