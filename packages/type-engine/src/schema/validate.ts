/**
 * Validation at the task boundary with the declared schema's own `validate` (sync or async), a
 * typed error naming the input or output when it refuses.
 */
import { InputValidationError, OutputValidationError } from "../errors.js";
import type { StandardSchemaV1 } from "./StandardSchema.js";

type Validatable<Output> = {
  readonly "~standard": Pick<StandardSchemaV1.Props<unknown, Output>, "validate">;
};

async function run<Output>(
  schema: Validatable<Output>,
  value: unknown,
): Promise<StandardSchemaV1.Result<Output>> {
  return schema["~standard"].validate(value);
}

/**
 * `value` checked (and, where the schema transforms, transformed) by `schema`; throws
 * `InputValidationError` with the input's `name` and the schema's issues when it is refused.
 */
export async function validateInput<Output>(
  schema: Validatable<Output>,
  value: unknown,
  name: string,
): Promise<Output> {
  const r = await run(schema, value);
  if (r.issues !== undefined) throw new InputValidationError(name, r.issues);
  return r.value;
}

/** {@link validateInput} for an output (`name` = `o0`, …): throws `OutputValidationError`. */
export async function validateOutput<Output>(
  schema: Validatable<Output>,
  value: unknown,
  name: string,
): Promise<Output> {
  const r = await run(schema, value);
  if (r.issues !== undefined) throw new OutputValidationError(name, r.issues);
  return r.value;
}
