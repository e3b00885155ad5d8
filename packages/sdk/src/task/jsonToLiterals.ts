/**
 * `flyte-task --args <json>`: a task's inputs typed by hand, for running a container by hand —
 * a JSON object of named inputs for a declared task, a JSON array of arguments for an
 * undeclared one — as the literals an `inputs.pb` would hold.
 */
import type { NamedLiteral } from "@flyte/type-engine";

import { argsToLiterals } from "./taskInterface.js";
import type { TaskInterface } from "./taskInterface.js";
import { ValueInputError, valueFromJson } from "./valueFromInput.js";

/** Parses `json` and converts it by the task's interface; refuses what does not fit, naming it. */
export function jsonToLiterals(
  iface: TaskInterface,
  json: string,
  taskLabel: string,
): NamedLiteral[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new ValueInputError("--args", `must be JSON: ${(error as Error).message}`);
  }
  if (iface.declaredInputs) {
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new ValueInputError(
        "--args",
        `must be a JSON object of named inputs { ${iface.inputs.map((v) => v.name).join(", ")} }`,
      );
    }
    const record: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(parsed)) {
      const v = iface.inputs.find((i) => i.name === key);
      if (v === undefined) {
        throw new ValueInputError(
          "--args",
          `has ${JSON.stringify(key)}, which is not an input of ${taskLabel} (inputs: ${iface.inputs.map((i) => i.name).join(", ") || "none"})`,
        );
      }
      record[key] = valueFromJson(value, v.type, `--args.${key}`);
    }
    return argsToLiterals(iface, [record], taskLabel);
  }
  if (!Array.isArray(parsed))
    throw new ValueInputError("--args", "must be a JSON array of the task's arguments");
  return argsToLiterals(iface, parsed, taskLabel);
}
