/**
 * The task interface (`flyteidl2.core.TypedInterface`) of declared inputs and outputs, variables
 * sorted by name as the task template lists them, and its hash (flyte-sdk `generate_interface_hash`).
 */
import { compareUtf8 } from "../internal/compareUtf8.js";
import { codec } from "../wire/codec.js";
import type { TypedInterface, VariableEntry, VariableMap } from "../proto/idl.js";
import type { FlyteType } from "../types/FlyteType.js";
import { literalTypeOf } from "../types/literalTypeOf.js";
import { hashData } from "./hashData.js";

function variableMap(vars: readonly (readonly [string, FlyteType])[]): VariableMap {
  const variables: VariableEntry[] = [...vars]
    .sort((a, b) => compareUtf8(a[0], b[0]))
    .map(([key, t]) => ({
      $typeName: "flyteidl2.core.VariableEntry",
      key,
      value: { $typeName: "flyteidl2.core.Variable", type: literalTypeOf(t), description: "" },
    }));
  return { $typeName: "flyteidl2.core.VariableMap", variables };
}

/** The interface of a task with these inputs and outputs (each sorted by name). */
export function typedInterface(
  inputs: readonly (readonly [string, FlyteType])[],
  outputs: readonly (readonly [string, FlyteType])[],
): TypedInterface {
  return {
    $typeName: "flyteidl2.core.TypedInterface",
    inputs: variableMap(inputs),
    outputs: variableMap(outputs),
  };
}

function sortedMap(m: VariableMap | undefined): VariableMap | undefined {
  if (m === undefined) return undefined;
  return { ...m, variables: [...m.variables].sort((a, b) => compareUtf8(a.key, b.key)) };
}

/** base64(sha256(deterministic bytes of `iface` with its variables sorted by name)). */
export function interfaceHash(iface: TypedInterface): string {
  const sorted: TypedInterface = { ...iface };
  const inputs = sortedMap(iface.inputs);
  const outputs = sortedMap(iface.outputs);
  if (inputs !== undefined) sorted.inputs = inputs;
  if (outputs !== undefined) sorted.outputs = outputs;
  return hashData(codec.writeTypedInterface(sorted));
}
