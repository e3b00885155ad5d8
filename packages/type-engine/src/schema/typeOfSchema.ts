/**
 * Standard Schema -> FlyteType: ours carry it (`"~flyte"`); any other schema is read from its
 * Standard JSON Schema (`~standard.jsonSchema.input({ target: "draft-2020-12" })`, with the hooks
 * of `jsonSchemaOf.ts`). A schema that accepts `undefined` as it is (zod's `.optional()`) is
 * optional: a union with none, as Python's `Optional[T]`.
 */
import { TypeDeclarationError } from "../errors.js";
import type { FlyteType } from "../types/FlyteType.js";
import { unionOf } from "../types/FlyteType.js";
import { FLYTE_TYPE_PROPERTY, isFlyteSchema } from "./FlyteSchema.js";
import { hasJsonSchema, jsonSchemaOf } from "./jsonSchemaOf.js";
import type { StandardSchemaV1 } from "./StandardSchema.js";
import { typeOfJsonSchema } from "./typeOfJsonSchema.js";

const cache = new WeakMap<object, FlyteType>();

function acceptsUndefinedAsIs(schema: unknown): boolean {
  const validate = (schema as Partial<StandardSchemaV1>)["~standard"]?.validate;
  if (typeof validate !== "function") return false;
  try {
    const r = validate(undefined);
    // A default fills undefined in (value !== undefined): the value will be there, not optional.
    return !(r instanceof Promise) && r.issues === undefined && r.value === undefined;
  } catch {
    return false;
  }
}

function isNullable(t: FlyteType): boolean {
  return (
    t.kind === "none" ||
    t.kind === "any" ||
    (t.kind === "union" && t.variants.some((v) => v.kind === "none"))
  );
}

/**
 * The FlyteType of a declared schema. `where` names the declaration in errors (`input "x"`).
 * Throws `TypeDeclarationError` for a schema without a JSON Schema or one with no Flyte type.
 * Cached per schema object: the same schema always gives the same FlyteType object (so its
 * compiled converters are reused).
 */
export function typeOfSchema(schema: unknown, where: string): FlyteType {
  if (typeof schema !== "object" && typeof schema !== "function") {
    throw new TypeDeclarationError(where, `expected a schema, got ${typeof schema}`);
  }
  if (schema === null) throw new TypeDeclarationError(where, "expected a schema, got null");
  const known = cache.get(schema);
  if (known !== undefined) return known;
  let t: FlyteType;
  if (isFlyteSchema(schema)) {
    t = schema[FLYTE_TYPE_PROPERTY];
  } else {
    if (!hasJsonSchema(schema)) {
      throw new TypeDeclarationError(
        where,
        "the schema has no JSON Schema (~standard.jsonSchema): use zod 4, arktype, valibot through @valibot/to-json-schema's toStandardJsonSchema, or the types.* helpers",
      );
    }
    let json: Record<string, unknown>;
    try {
      json = jsonSchemaOf(schema);
    } catch (e) {
      throw new TypeDeclarationError(
        where,
        `its JSON Schema could not be made: ${(e as Error).message}`,
        { cause: e },
      );
    }
    t = typeOfJsonSchema(json, where);
    if (!isNullable(t) && acceptsUndefinedAsIs(schema)) t = unionOf([t, { kind: "none" }]);
  }
  cache.set(schema, t);
  return t;
}
