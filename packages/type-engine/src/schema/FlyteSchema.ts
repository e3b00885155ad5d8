import type { FlyteType } from "../types/FlyteType.js";
import type { StandardJSONSchemaV1, StandardSchemaV1 } from "./StandardSchema.js";

/** The property on our own schemas (`types.*`) that carries their Flyte type. */
export const FLYTE_TYPE_PROPERTY = "~flyte";

/**
 * A schema of this package (`types.int()`, `types.datetime()`, …): a Standard Schema (it
 * validates), a Standard JSON Schema (it has a JSON Schema twin, with `x-flyte-type` for what JSON
 * Schema lacks), and it carries its {@link FlyteType} as `"~flyte"`.
 */
export interface FlyteSchema<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaV1.Props<Input, Output> &
    StandardJSONSchemaV1.Props<Input, Output>;
  readonly "~flyte": FlyteType;
}

/** A schema the engine can read a type from: a Standard Schema with a JSON Schema, or ours. */
export type DeclaredSchema<Input = unknown, Output = Input> =
  | FlyteSchema<Input, Output>
  | (StandardSchemaV1<Input, Output> & StandardJSONSchemaV1<Input, Output>);

/** Whether `schema` is one of ours. */
export function isFlyteSchema(schema: unknown): schema is FlyteSchema {
  return (
    typeof schema === "object" &&
    schema !== null &&
    typeof (schema as Record<string, unknown>)[FLYTE_TYPE_PROPERTY] === "object"
  );
}
