/**
 * FlyteType -> `flyteidl2.core.LiteralType`, exactly as the Python SDK's transformers declare
 * them (flyte-sdk `types/_type_engine.py`, `io/_file.py`, `io/_dir.py`), including the
 * `structure.tag` Python puts on each union variant: the transformer's name.
 */
import type { JsonObject, LiteralType } from "../proto/idl.js";
import {
  Dimensionality,
  Simple,
  blobType,
  literalType,
  typeAnnotation,
  typeStructure,
} from "../proto/messages.js";
import type { FlyteType } from "./FlyteType.js";

/** `{"cache-key-metadata": {"serialization-format": "msgpack"}}`: Python's msgpack annotation. */
export const MSGPACK_ANNOTATION: JsonObject = {
  "cache-key-metadata": { "serialization-format": "msgpack" },
};

/** The transformer names Python tags union variants with. */
export const DATACLASS_TAG = "Object-Dataclass-Transformer";

/** The transformer name Python's type engine gives values of `t` (`TypeTransformer.name`). */
export function transformerName(t: FlyteType): string {
  switch (t.kind) {
    case "integer":
      return "int";
    case "float":
      return "float";
    case "string":
      return "str";
    case "boolean":
      return "bool";
    case "datetime":
      return "datetime";
    case "duration":
      return "timedelta";
    case "none":
      return "none";
    case "union":
      return "Typed Union";
    case "list":
      return "Typed List";
    case "map":
      return "Typed Dict";
    case "struct":
      return t.jsonSchema === undefined ? "Typed Dict" : (t.tag ?? DATACLASS_TAG);
    case "any":
      return "Typed Dict";
    case "enum":
      return "DefaultEnumTransformer";
    case "blob":
      return t.dimensionality === "single" ? "File" : "Dir";
  }
}

/** A JSON Schema as a protobuf Struct value: JSON only (undefined dropped, via JSON). */
function jsonOnly(schema: object): JsonObject {
  return JSON.parse(JSON.stringify(schema)) as JsonObject;
}

function build(t: FlyteType): LiteralType {
  switch (t.kind) {
    case "integer":
      return literalType({ case: "simple", value: Simple.INTEGER });
    case "float":
      return literalType({ case: "simple", value: Simple.FLOAT });
    case "string":
      return literalType({ case: "simple", value: Simple.STRING });
    case "boolean":
      return literalType({ case: "simple", value: Simple.BOOLEAN });
    case "datetime":
      return literalType({ case: "simple", value: Simple.DATETIME });
    case "duration":
      return literalType({ case: "simple", value: Simple.DURATION });
    case "none":
      return literalType({ case: "simple", value: Simple.NONE });
    case "union":
      return literalType({
        case: "unionType",
        value: {
          $typeName: "flyteidl2.core.UnionType",
          variants: t.variants.map(taggedLiteralTypeOf),
        },
      });
    case "list":
      return literalType({ case: "collectionType", value: literalTypeOf(t.of) });
    case "map":
      return literalType({ case: "mapValueType", value: literalTypeOf(t.of) });
    case "struct":
      return literalType(
        { case: "simple", value: Simple.STRUCT },
        {
          metadata: t.jsonSchema === undefined ? undefined : jsonOnly(t.jsonSchema),
          annotation: typeAnnotation(MSGPACK_ANNOTATION),
        },
      );
    case "any":
      return literalType(
        { case: "simple", value: Simple.STRUCT },
        { annotation: typeAnnotation(MSGPACK_ANNOTATION) },
      );
    case "enum":
      return literalType({
        case: "enumType",
        value: { $typeName: "flyteidl2.core.EnumType", values: [...t.values] },
      });
    case "blob":
      return literalType({
        case: "blob",
        value: blobType(
          t.format ?? "",
          t.dimensionality === "single" ? Dimensionality.SINGLE : Dimensionality.MULTIPART,
        ),
      });
  }
}

const plain = new WeakMap<FlyteType, LiteralType>();
const tagged = new WeakMap<FlyteType, LiteralType>();

/**
 * The LiteralType of `t`, as Python declares it for the same type. Cached per FlyteType object:
 * the result is shared, so treat it as read-only (copy before changing it).
 */
export function literalTypeOf(t: FlyteType): LiteralType {
  let lt = plain.get(t);
  if (lt === undefined) {
    lt = build(t);
    plain.set(t, lt);
  }
  return lt;
}

/** {@link literalTypeOf} with `structure.tag` = the transformer name: a union variant, as Python tags it. */
export function taggedLiteralTypeOf(t: FlyteType): LiteralType {
  let lt = tagged.get(t);
  if (lt === undefined) {
    lt = { ...literalTypeOf(t), structure: typeStructure(transformerName(t)) };
    tagged.set(t, lt);
  }
  return lt;
}
