/**
 * `flyteidl2.core.Literal` -> JavaScript value: by a declared FlyteType (compiled once per type
 * object), or by the literal's own shape when there is none. Lenient where Python is (an integer
 * literal for a float, a whole float for an int, a union literal where a plain value is declared).
 */
import { TypeMismatchError } from "../errors.js";
import type { PathNode } from "../internal/PathNode.js";
import { child, pathText } from "../internal/PathNode.js";
import { ANY } from "../msgpack/Plan.js";
import type { Plan } from "../msgpack/Plan.js";
import { convertPlain, unpackMsgpack } from "../msgpack/unpack.js";
import type { Literal, Scalar } from "../proto/idl.js";
import { Dimensionality } from "../proto/messages.js";
import { planOfJsonSchema } from "../schema/planOfJsonSchema.js";
import { Dir } from "../values/Dir.js";
import { Duration } from "../values/Duration.js";
import { File } from "../values/File.js";
import type { FlyteType } from "./FlyteType.js";
import { transformerName } from "./literalTypeOf.js";
import { MSGPACK_TAG } from "./msgpackTag.js";

type FromLiteral = (lit: Literal, where: string, path: PathNode | undefined) => unknown;

function mismatch(where: string, path: PathNode | undefined, message: string): TypeMismatchError {
  return new TypeMismatchError(where, pathText(path), message);
}

/** What a literal holds, for error messages: `integer`, `collection`, `binary(msgpack)`, ... */
function shape(lit: Literal): string {
  switch (lit.value.case) {
    case "scalar": {
      const s = lit.value.value.value;
      if (s.case === "primitive") return s.value.value.case ?? "empty primitive";
      if (s.case === "binary") return `binary(${s.value.tag})`;
      return s.case ?? "empty scalar";
    }
    case undefined:
      return "an empty literal";
    default:
      return lit.value.case;
  }
}

function scalarOf(lit: Literal): Scalar["value"] | undefined {
  return lit.value.case === "scalar" ? lit.value.value.value : undefined;
}

/** The literal inside a union scalar, or the literal itself. */
function unwrapUnion(lit: Literal): Literal {
  let l = lit;
  for (;;) {
    const s = scalarOf(l);
    if (s?.case !== "union" || s.value.value === undefined) return l;
    l = s.value.value;
  }
}

function safeInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v;
}

function dateOf(seconds: bigint, nanos: number): Date {
  // JavaScript dates hold milliseconds: finer nanoseconds are dropped (floored).
  return new Date(Number(seconds) * 1000 + Math.floor(nanos / 1_000_000));
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else target[key] = value;
}

function blobValue(
  lit: Literal,
  where: string,
  path: PathNode | undefined,
  want?: "single" | "multipart",
): File | Dir {
  const s = scalarOf(lit);
  if (s?.case !== "blob") throw mismatch(where, path, `expected a blob, got ${shape(lit)}`);
  const type = s.value.metadata?.type;
  const multipart = type?.dimensionality === Dimensionality.MULTIPART;
  if (want !== undefined && multipart !== (want === "multipart")) {
    throw mismatch(
      where,
      path,
      `expected a ${want === "single" ? "single-part blob (File)" : "multipart blob (Dir)"}`,
    );
  }
  const options = { format: type?.format ?? "", ...(lit.hash === "" ? {} : { hash: lit.hash }) };
  return multipart ? new Dir(s.value.uri, options) : new File(s.value.uri, options);
}

function structValue(lit: Literal, plan: Plan, where: string, path: PathNode | undefined): unknown {
  const s = scalarOf(unwrapUnion(lit));
  if (s?.case === "binary") {
    if (s.value.tag !== MSGPACK_TAG)
      throw mismatch(where, path, `binary with tag ${JSON.stringify(s.value.tag)} is not msgpack`);
    return unpackMsgpack(s.value.value, plan, where, path);
  }
  if (s?.case === "generic") return convertPlain(s.value, plan, where, path);
  throw mismatch(where, path, `expected a msgpack binary or a generic struct, got ${shape(lit)}`);
}

/** Decodes any literal by its own shape (the untyped reading). */
function byShape(lit: Literal, where: string, path: PathNode | undefined): unknown {
  switch (lit.value.case) {
    case "collection":
      return lit.value.value.literals.map((l, i) => byShape(l, where, child(path, i)));
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [k, l] of Object.entries(lit.value.value.literals))
        setOwn(out, k, byShape(l, where, child(path, k)));
      return out;
    }
    case "offloadedMetadata":
      throw mismatch(
        where,
        path,
        `an offloaded literal (${lit.value.value.uri}) must be fetched before it is read`,
      );
    case "scalar":
      break;
    default:
      throw mismatch(where, path, "an empty literal has no value");
  }
  const s = lit.value.value.value;
  switch (s.case) {
    case "primitive": {
      const p = s.value.value;
      switch (p.case) {
        case "integer":
          return safeInt(p.value);
        case "floatValue":
        case "stringValue":
        case "boolean":
          return p.value;
        case "datetime":
          return dateOf(p.value.seconds, p.value.nanos);
        case "duration":
          return new Duration(p.value.seconds, p.value.nanos);
        default:
          throw mismatch(where, path, "an empty primitive has no value");
      }
    }
    case "noneType":
      return null;
    case "union":
      if (s.value.value === undefined) throw mismatch(where, path, "a union without a value");
      return byShape(s.value.value, where, path);
    case "binary":
      return s.value.tag === MSGPACK_TAG
        ? unpackMsgpack(s.value.value, ANY, where, path)
        : s.value.value;
    case "generic":
      return convertPlain(s.value, ANY, where, path);
    case "blob":
      return blobValue(lit, where, path);
    default:
      throw mismatch(where, path, `a ${shape(lit)} literal has no JavaScript value here`);
  }
}

function primitive(
  lit: Literal,
): NonNullable<Extract<Scalar["value"], { case: "primitive" }>["value"]>["value"] | undefined {
  const s = scalarOf(unwrapUnion(lit));
  return s?.case === "primitive" ? s.value.value : undefined;
}

function compile(t: FlyteType): FromLiteral {
  switch (t.kind) {
    case "integer":
      return (lit, where, path) => {
        const p = primitive(lit);
        if (p?.case === "integer") return t.bigint === true ? p.value : safeInt(p.value);
        // A whole float where an int is declared (the Flyte console sends those).
        if (p?.case === "floatValue" && Number.isInteger(p.value))
          return t.bigint === true ? BigInt(p.value) : p.value;
        throw mismatch(where, path, `expected an integer, got ${shape(lit)}`);
      };
    case "float":
      return (lit, where, path) => {
        const p = primitive(lit);
        if (p?.case === "floatValue") return p.value;
        if (p?.case === "integer") return Number(p.value);
        throw mismatch(where, path, `expected a float, got ${shape(lit)}`);
      };
    case "string":
    case "enum":
      return (lit, where, path) => {
        const p = primitive(lit);
        if (p?.case === "stringValue") return p.value;
        throw mismatch(where, path, `expected a string, got ${shape(lit)}`);
      };
    case "boolean":
      return (lit, where, path) => {
        const p = primitive(lit);
        if (p?.case === "boolean") return p.value;
        throw mismatch(where, path, `expected a boolean, got ${shape(lit)}`);
      };
    case "datetime":
      return (lit, where, path) => {
        const p = primitive(lit);
        if (p?.case === "datetime") return dateOf(p.value.seconds, p.value.nanos);
        throw mismatch(where, path, `expected a datetime, got ${shape(lit)}`);
      };
    case "duration":
      return (lit, where, path) => {
        const p = primitive(lit);
        if (p?.case === "duration") return new Duration(p.value.seconds, p.value.nanos);
        throw mismatch(where, path, `expected a duration, got ${shape(lit)}`);
      };
    case "none":
      return (lit, where, path) => {
        if (scalarOf(unwrapUnion(lit))?.case === "noneType") return null;
        throw mismatch(where, path, `expected none, got ${shape(lit)}`);
      };
    case "union": {
      const variants = t.variants.map((variant) => ({
        name: transformerName(variant),
        decode: decoderOf(variant),
      }));
      return (lit, where, path) => {
        const s = scalarOf(lit);
        const inner = s?.case === "union" && s.value.value !== undefined ? s.value.value : lit;
        const tag = s?.case === "union" ? (s.value.type?.structure?.tag ?? "") : "";
        // As Python: the variant whose transformer wrote it (the union type's tag), else any that reads it.
        const candidates = tag === "" ? variants : variants.filter((v) => v.name === tag);
        for (const v of candidates.length > 0 ? candidates : variants) {
          try {
            return v.decode(inner, where, path);
          } catch (e) {
            if (!(e instanceof TypeMismatchError)) throw e;
          }
        }
        throw mismatch(
          where,
          path,
          `no variant of the union reads a ${shape(inner)} literal${tag === "" ? "" : ` tagged ${JSON.stringify(tag)}`}`,
        );
      };
    }
    case "list": {
      const item = decoderOf(t.of);
      return (lit, where, path) => {
        const l = unwrapUnion(lit);
        if (l.value.case !== "collection")
          throw mismatch(where, path, `expected a collection, got ${shape(l)}`);
        const literals = l.value.value.literals;
        const out = new Array<unknown>(literals.length);
        for (let i = 0; i < literals.length; i++)
          out[i] = item(literals[i]!, where, child(path, i));
        return out;
      };
    }
    case "map": {
      const item = decoderOf(t.of);
      return (lit, where, path) => {
        const l = unwrapUnion(lit);
        if (l.value.case !== "map") throw mismatch(where, path, `expected a map, got ${shape(l)}`);
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(l.value.value.literals))
          setOwn(out, k, item(v, where, child(path, k)));
        return out;
      };
    }
    case "struct": {
      const plan = t.jsonSchema === undefined ? ANY : planOfJsonSchema(t.jsonSchema);
      return (lit, where, path) => structValue(lit, plan, where, path);
    }
    case "any":
      return (lit, where, path) => byShape(lit, where, path);
    case "blob":
      return (lit, where, path) => blobValue(unwrapUnion(lit), where, path, t.dimensionality);
  }
}

const decoders = new WeakMap<FlyteType, FromLiteral>();

function decoderOf(t: FlyteType): FromLiteral {
  let d = decoders.get(t);
  if (d === undefined) {
    d = compile(t);
    decoders.set(t, d);
  }
  return d;
}

/**
 * The JavaScript value of `lit`: by the declared type `t` when given (throws `TypeMismatchError`
 * naming `where` when the literal is of another shape), else by the literal's own shape.
 * Integers beyond 2^53 are `bigint`, safe ones `number` (`types.int64()` reads bigint always);
 * a datetime is a `Date` (milliseconds: finer digits dropped); a duration a {@link Duration};
 * a blob a {@link File} or {@link Dir}.
 */
export function fromLiteral(lit: Literal, t?: FlyteType, where = "value"): unknown {
  return t === undefined ? byShape(lit, where, undefined) : decoderOf(t)(lit, where, undefined);
}
