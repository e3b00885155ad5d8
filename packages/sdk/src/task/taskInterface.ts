/**
 * A task's interface — its named, typed inputs and outputs — and the conversions between a
 * call's JavaScript values and Flyte literals, through `@flyte/type-engine`.
 *
 * Two kinds of task:
 * - **Declared** (`inputs: { x: z.int() }`, `output: z.string()`): the function takes one object
 *   of named inputs; every input and output has a Flyte type derived from its schema, and values
 *   are checked by the schema where they enter a task (a typed error naming the input).
 * - **Undeclared** (`env.task(async function f(a, b) {...})`): positional arguments, named after
 *   the function's parameters (`arg0`, `arg1`, … where a parameter has no plain name); every
 *   value travels by the type engine's untyped rule (msgpack, as the Python SDK's untyped
 *   `dict`), and the result is output `o0`.
 *
 * The wire carries a value as the caller gave it; the receiving side validates it (applying the
 * schema's defaults and transforms) before the function sees it. So a value means the same in a
 * local run, in a child process and in a Flyte cluster.
 */
import {
  InputValidationError,
  OutputValidationError,
  fromLiteral,
  interfaceHash,
  toLiteral,
  typeOfSchema,
  typedInterface,
} from "@flyte/type-engine";
import type { FlyteType, NamedLiteral, StandardSchemaV1 } from "@flyte/type-engine";

import { TaskDefinitionError } from "../errors.js";
import { parameterList } from "./parameterList.js";

/** The declared inputs of a task: a schema per input name, in declaration order. */
export type InputSchemas = Readonly<Record<string, StandardSchemaV1>>;

/** One input or output of a task. */
export interface IoVar {
  readonly name: string;
  readonly type: FlyteType;
  /** The schema values are checked with (declared tasks only). */
  readonly schema?: StandardSchemaV1;
  /** An undeclared task's rest parameter: the remaining arguments, as one list. */
  readonly rest?: boolean;
}

/** What a task takes and returns, on the wire. */
export interface TaskInterface {
  /** Whether inputs were declared (the function takes one object of named inputs). */
  readonly declaredInputs: boolean;
  readonly inputs: readonly IoVar[];
  /** Whether outputs were declared (`output` or `outputs`). */
  readonly declaredOutputs: boolean;
  /** `outputs: [...]`: the function returns a tuple, one element per output. */
  readonly tupleOutputs: boolean;
  readonly outputs: readonly IoVar[];
  /** The Python SDK's interface hash (of the `TypedInterface`, variables sorted by name). */
  readonly interfaceHash: string;
}

/** The schemas a task was declared with. */
export interface DeclaredTypes {
  readonly inputs?: InputSchemas;
  readonly output?: StandardSchemaV1;
  readonly outputs?: readonly StandardSchemaV1[];
}

const ANY: FlyteType = Object.freeze({ kind: "any" }) as FlyteType;
const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks declared schemas when a task is defined (a bad one is a {@link TaskDefinitionError}
 * naming the input) and builds the interface.
 */
export function buildTaskInterface(
  fn: (...args: never[]) => unknown,
  declared: DeclaredTypes,
  taskLabel: string,
): TaskInterface {
  if (declared.output !== undefined && declared.outputs !== undefined) {
    throw new TaskDefinitionError(
      "INVALID_TASK",
      "outputs",
      `${taskLabel}: give "output" (one) or "outputs" (a tuple), not both`,
    );
  }
  let inputs: IoVar[];
  if (declared.inputs !== undefined) {
    if (
      typeof declared.inputs !== "object" ||
      declared.inputs === null ||
      Array.isArray(declared.inputs)
    ) {
      throw new TaskDefinitionError(
        "INVALID_TASK",
        "inputs",
        `${taskLabel}: inputs must be an object of schemas { name: schema }`,
      );
    }
    inputs = Object.entries(declared.inputs).map(([name, schema]) => {
      if (!INPUT_NAME.test(name)) {
        throw new TaskDefinitionError(
          "INVALID_TASK",
          `inputs.${name}`,
          `${taskLabel}: input name ${JSON.stringify(name)} must be an identifier (letters, digits, _)`,
        );
      }
      return { name, type: declaredType(schema, `inputs.${name}`, taskLabel), schema };
    });
  } else {
    inputs = parameterList(fn).map((p, i) => ({
      name: p.name !== undefined && INPUT_NAME.test(p.name) ? p.name : `arg${i}`,
      type: ANY,
      ...(p.rest && { rest: true }),
    }));
  }
  let outputs: IoVar[];
  if (declared.outputs !== undefined) {
    if (!Array.isArray(declared.outputs)) {
      throw new TaskDefinitionError(
        "INVALID_TASK",
        "outputs",
        `${taskLabel}: outputs must be an array of schemas (a tuple)`,
      );
    }
    outputs = declared.outputs.map((schema, i) => ({
      name: `o${i}`,
      type: declaredType(schema, `outputs[${i}]`, taskLabel),
      schema,
    }));
  } else if (declared.output !== undefined) {
    outputs = [
      {
        name: "o0",
        type: declaredType(declared.output, "output", taskLabel),
        schema: declared.output,
      },
    ];
  } else {
    outputs = declared.inputs === undefined ? [{ name: "o0", type: ANY }] : [];
  }
  const iface = typedInterface(
    inputs.map((v) => [v.name, v.type] as [string, FlyteType]),
    outputs.map((v) => [v.name, v.type] as [string, FlyteType]),
  );
  return Object.freeze({
    declaredInputs: declared.inputs !== undefined,
    inputs: Object.freeze(inputs),
    declaredOutputs: declared.output !== undefined || declared.outputs !== undefined,
    tupleOutputs: declared.outputs !== undefined,
    outputs: Object.freeze(outputs),
    interfaceHash: interfaceHash(iface),
  });
}

function declaredType(schema: unknown, where: string, taskLabel: string): FlyteType {
  if (typeof schema !== "object" && typeof schema !== "function") {
    throw new TaskDefinitionError(
      "INVALID_TASK",
      where,
      `${taskLabel}: ${where} must be a schema (zod, valibot, arktype or flyte.types), got ${String(schema)}`,
    );
  }
  try {
    return typeOfSchema(schema as StandardSchemaV1, where);
  } catch (error) {
    throw new TaskDefinitionError(
      "INVALID_TASK",
      where,
      `${taskLabel}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * A call's arguments as named literals, in declaration order (the caller's side; synchronous).
 * A declared task takes one object of named inputs; an input left out (or `undefined`) is not
 * sent, so the receiving side applies the schema's default or refuses a required one.
 */
export function argsToLiterals(
  iface: TaskInterface,
  args: readonly unknown[],
  taskLabel: string,
): NamedLiteral[] {
  const out: NamedLiteral[] = [];
  if (iface.declaredInputs) {
    if (args.length > 1) {
      throw new InputValidationError("<arguments>", [
        { message: `takes one object of named inputs, got ${args.length} arguments` },
      ]);
    }
    const given = args[0];
    if (given === undefined || given === null) {
      if (iface.inputs.length === 0) return out;
      throw new InputValidationError("<arguments>", [
        {
          message: `takes an object of named inputs { ${iface.inputs.map((v) => v.name).join(", ")} }, got ${String(given)}`,
        },
      ]);
    }
    if (typeof given !== "object" || Array.isArray(given)) {
      throw new InputValidationError("<arguments>", [
        {
          message: `takes an object of named inputs { ${iface.inputs.map((v) => v.name).join(", ")} }, got ${Array.isArray(given) ? "an array" : typeof given}`,
        },
      ]);
    }
    const record = given as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!iface.inputs.some((v) => v.name === key)) {
        throw new InputValidationError(key, [
          {
            message: `is not an input of this task (inputs: ${iface.inputs.map((v) => v.name).join(", ") || "none"})`,
          },
        ]);
      }
    }
    for (const v of iface.inputs) {
      const value = record[v.name];
      if (value !== undefined)
        out.push({
          name: v.name,
          literal: toLiteral(value, v.type, `${taskLabel} input "${v.name}"`),
        });
    }
    return out;
  }
  const rest = iface.inputs.find((v) => v.rest === true);
  const fixed = rest === undefined ? iface.inputs.length : iface.inputs.length - 1;
  if (rest === undefined && args.length > fixed) {
    const extra = args.slice(fixed);
    throw new InputValidationError("<arguments>", [
      {
        message: `${taskLabel} takes ${fixed} argument${fixed === 1 ? "" : "s"}, got ${args.length} (${extra.length} extra)`,
      },
    ]);
  }
  for (let i = 0; i < fixed && i < args.length; i++) {
    const v = iface.inputs[i]!;
    if (args[i] !== undefined)
      out.push({
        name: v.name,
        literal: toLiteral(args[i], v.type, `${taskLabel} argument "${v.name}"`),
      });
  }
  if (rest !== undefined && args.length > fixed) {
    out.push({
      name: rest.name,
      literal: toLiteral(args.slice(fixed), rest.type, `${taskLabel} argument "...${rest.name}"`),
    });
  }
  return out;
}

/**
 * The function's arguments from the literals it received (the receiving side): decoded by the
 * declared types and checked by the schemas, which apply defaults and transforms. A literal for
 * no input of the task is refused (it was meant for another task).
 */
export async function literalsToArgs(
  iface: TaskInterface,
  literals: readonly NamedLiteral[],
  taskLabel: string,
): Promise<unknown[]> {
  const byName = new Map<string, NamedLiteral>();
  for (const nl of literals) {
    if (!iface.inputs.some((v) => v.name === nl.name)) {
      throw new InputValidationError(nl.name, [
        {
          message: `is not an input of this task (inputs: ${iface.inputs.map((v) => v.name).join(", ") || "none"})`,
        },
      ]);
    }
    byName.set(nl.name, nl);
  }
  if (iface.declaredInputs) {
    const record: Record<string, unknown> = {};
    for (const v of iface.inputs) {
      const nl = byName.get(v.name);
      const raw = nl === undefined ? undefined : fromLiteral(nl.literal, v.type);
      const value = v.schema === undefined ? raw : await validate(v.schema, raw, taskLabel, v.name);
      if (value !== undefined) record[v.name] = value;
    }
    return iface.inputs.length === 0 && literals.length === 0 ? [] : [record];
  }
  const args: unknown[] = [];
  iface.inputs.forEach((v, i) => {
    const nl = byName.get(v.name);
    if (v.rest === true) {
      if (nl !== undefined) args.push(...(fromLiteral(nl.literal, v.type) as unknown[]));
      return;
    }
    args[i] = nl === undefined ? undefined : fromLiteral(nl.literal, v.type);
  });
  return args;
}

/** A function's result as its output literals (the task's side): checked, then encoded. */
export async function resultToLiterals(
  iface: TaskInterface,
  result: unknown,
  taskLabel: string,
): Promise<NamedLiteral[]> {
  if (!iface.declaredOutputs) {
    if (iface.outputs.length === 0) {
      if (result !== undefined) {
        throw new OutputValidationError("o0", [
          {
            message: `${taskLabel} returned a value but declares no output; declare it with output: <schema>`,
          },
        ]);
      }
      return [];
    }
    return result === undefined
      ? []
      : [{ name: "o0", literal: toLiteral(result, ANY, `${taskLabel} result`) }];
  }
  const values = iface.tupleOutputs ? result : [result];
  if (iface.tupleOutputs && (!Array.isArray(values) || values.length !== iface.outputs.length)) {
    throw new OutputValidationError("outputs", [
      {
        message: `${taskLabel} must return a tuple of ${iface.outputs.length} values, got ${Array.isArray(values) ? `${values.length}` : typeof values}`,
      },
    ]);
  }
  const out: NamedLiteral[] = [];
  for (let i = 0; i < iface.outputs.length; i++) {
    const v = iface.outputs[i]!;
    const value = (values as unknown[])[i];
    await validate(v.schema!, value, taskLabel, v.name, "output");
    if (value !== undefined)
      out.push({
        name: v.name,
        literal: toLiteral(value, v.type, `${taskLabel} output ${v.name}`),
      });
  }
  return out;
}

/** What the caller of a task receives from its output literals (the caller's side). */
export async function literalsToResult(
  iface: TaskInterface,
  literals: readonly NamedLiteral[],
  taskLabel: string,
): Promise<unknown> {
  const byName = new Map(literals.map((nl) => [nl.name, nl]));
  if (!iface.declaredOutputs) {
    const o0 = byName.get("o0");
    return o0 === undefined ? undefined : fromLiteral(o0.literal, iface.outputs[0]?.type ?? ANY);
  }
  const values: unknown[] = [];
  for (const v of iface.outputs) {
    const nl = byName.get(v.name);
    const raw = nl === undefined ? undefined : fromLiteral(nl.literal, v.type);
    values.push(await validate(v.schema!, raw, taskLabel, v.name, "output"));
  }
  return iface.tupleOutputs ? values : values[0];
}

async function validate(
  schema: StandardSchemaV1,
  value: unknown,
  _taskLabel: string,
  name: string,
  kind: "input" | "output" = "input",
): Promise<unknown> {
  let result = schema["~standard"].validate(value);
  if (result instanceof Promise) result = await result;
  if (result.issues !== undefined) {
    throw kind === "input"
      ? new InputValidationError(name, result.issues)
      : new OutputValidationError(name, result.issues);
  }
  return result.value;
}
