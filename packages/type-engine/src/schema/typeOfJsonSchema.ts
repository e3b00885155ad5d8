/**
 * JSON Schema (draft 2020-12, as Standard JSON Schema libraries emit it) -> FlyteType:
 * `integer` -> INTEGER, `number` -> FLOAT, `string` -> STRING (a string `enum` / `const` -> Flyte
 * enum, as Python's enum transformer), `boolean`, `null` -> NONE, `anyOf` / `oneOf` / a list of
 * types -> union (with `null`: optional), `array` -> list (a tuple: struct), an object with only
 * `additionalProperties` -> map, an object with properties -> struct (msgpack, the schema kept
 * as its LiteralType metadata), an object allowing anything -> untyped dict, `{}` -> any, and the
 * `x-flyte-type` markers -> datetime, duration, int64, file, dir (bytes -> any: msgpack bin).
 */
import { TypeDeclarationError } from "../errors.js";
import type { FlyteType } from "../types/FlyteType.js";
import { unionOf } from "../types/FlyteType.js";
import { FLYTE_TYPE_KEYWORD } from "./jsonSchemaOf.js";

type Json = Record<string, unknown>;

const ANNOTATIONS = new Set([
  "$schema",
  "$id",
  "$comment",
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
  "$defs",
  "definitions",
  "id",
]);

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Resolves a local `$ref` (`#`, `#/$defs/X`, `#/definitions/X`) against the root schema. */
export function resolveRef(ref: string, root: Json, where: string): Json {
  if (ref === "#") return root;
  const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  const defs = m === null ? undefined : root[m[1]!];
  const target = isObject(defs)
    ? defs[decodeURIComponent(m![2]!).replace(/~1/g, "/").replace(/~0/g, "~")]
    : undefined;
  if (!isObject(target))
    throw new TypeDeclarationError(where, `cannot resolve $ref ${JSON.stringify(ref)}`);
  return target;
}

/** The schema as a struct's metadata: standalone (the root's `$defs` carried along), no `$schema`. */
function structSchema(js: Json, root: Json): object {
  const { $schema: _ignored, ...rest } = js;
  if (js === root) return rest;
  const defs = root["$defs"] ?? root["definitions"];
  return defs === undefined
    ? rest
    : { ...rest, [root["$defs"] !== undefined ? "$defs" : "definitions"]: defs };
}

function enumType(values: unknown[], where: string): FlyteType {
  if (values.length > 0 && values.every((v) => typeof v === "string"))
    return { kind: "enum", values: values as string[] };
  if (values.every((v) => typeof v === "number" && Number.isInteger(v))) return { kind: "integer" };
  if (values.every((v) => typeof v === "number")) return { kind: "float" };
  if (values.every((v) => typeof v === "boolean")) return { kind: "boolean" };
  throw new TypeDeclarationError(
    where,
    `an enum of mixed values ${JSON.stringify(values)} has no Flyte type`,
  );
}

function fromType(type: string, js: Json, root: Json, where: string, depth: number): FlyteType {
  switch (type) {
    case "integer":
      return { kind: "integer" };
    case "number":
      return { kind: "float" };
    case "boolean":
      return { kind: "boolean" };
    case "null":
      return { kind: "none" };
    case "string":
      if (Array.isArray(js["enum"])) return enumType(js["enum"], where);
      if (typeof js["const"] === "string") return { kind: "enum", values: [js["const"]] };
      return { kind: "string" };
    case "array":
      if (js["prefixItems"] !== undefined)
        return { kind: "struct", jsonSchema: structSchema(js, root) };
      return {
        kind: "list",
        of: isObject(js["items"]) ? typeOf(js["items"], root, where, depth + 1) : { kind: "any" },
      };
    case "object": {
      const props = js["properties"];
      const extra = js["additionalProperties"];
      const hasProps = isObject(props) && Object.keys(props).length > 0;
      if (!hasProps && isObject(extra) && js["patternProperties"] === undefined) {
        return { kind: "map", of: typeOf(extra, root, where, depth + 1) };
      }
      if (
        !hasProps &&
        (extra === undefined || extra === true) &&
        js["patternProperties"] === undefined &&
        !isObject(props)
      ) {
        return { kind: "struct" }; // Python's untyped dict
      }
      return { kind: "struct", jsonSchema: structSchema(js, root) };
    }
    default:
      throw new TypeDeclarationError(
        where,
        `JSON Schema type ${JSON.stringify(type)} has no Flyte type`,
      );
  }
}

function typeOf(js: Json, root: Json, where: string, depth: number): FlyteType {
  if (depth > 64)
    throw new TypeDeclarationError(where, "the schema is recursive outside an object");
  const marker = js[FLYTE_TYPE_KEYWORD];
  switch (marker) {
    case "datetime":
      return { kind: "datetime" };
    case "duration":
      return { kind: "duration" };
    case "int64":
      return { kind: "integer", bigint: true };
    case "bytes":
      return { kind: "any" };
    case "file":
      return { kind: "blob", dimensionality: "single", format: "" };
    case "dir":
      return { kind: "blob", dimensionality: "multipart", format: "" };
    case undefined:
      break;
    default:
      throw new TypeDeclarationError(
        where,
        `unknown ${FLYTE_TYPE_KEYWORD} ${JSON.stringify(marker)}`,
      );
  }
  if (typeof js["$ref"] === "string") {
    const target = resolveRef(js["$ref"], root, where);
    // A recursive object stays one struct (its schema holds the recursion).
    if (target === root && root["type"] === "object")
      return { kind: "struct", jsonSchema: structSchema(root, root) };
    return typeOf(target, root, where, depth + 1);
  }
  const alternatives = js["anyOf"] ?? js["oneOf"];
  if (Array.isArray(alternatives)) {
    return unionOf(alternatives.map((a) => typeOf(a as Json, root, where, depth + 1)));
  }
  const type = js["type"];
  if (Array.isArray(type)) {
    return unionOf(type.map((t) => fromType(String(t), { ...js, type: t }, root, where, depth)));
  }
  if (typeof type === "string") return fromType(type, js, root, where, depth);
  if (Array.isArray(js["enum"])) return enumType(js["enum"], where);
  if ("const" in js) return enumType([js["const"]], where);
  if (Array.isArray(js["allOf"])) {
    const all = js["allOf"] as Json[];
    if (all.length === 1) return typeOf(all[0]!, root, where, depth + 1);
    if (all.every((a) => a["type"] === "object" || isObject(a["properties"]))) {
      return { kind: "struct", jsonSchema: structSchema(js, root) };
    }
    throw new TypeDeclarationError(
      where,
      "an intersection (allOf) of non-objects has no Flyte type",
    );
  }
  const constraints = Object.keys(js).filter((k) => !ANNOTATIONS.has(k));
  if (constraints.length === 0) return { kind: "any" };
  throw new TypeDeclarationError(where, `JSON Schema ${JSON.stringify(js)} has no Flyte type`);
}

/** The FlyteType of a JSON Schema. Throws `TypeDeclarationError` naming `where`. */
export function typeOfJsonSchema(schema: Record<string, unknown>, where: string): FlyteType {
  if (!isObject(schema)) throw new TypeDeclarationError(where, "a JSON Schema must be an object");
  return typeOf(schema, schema, where, 0);
}
