/**
 * `outputs.pb`: `flyteidl2.task.Outputs { repeated NamedLiteral literals = 1; }`, outputs named
 * `o0`, `o1`, … in order. Written on success even with no outputs: then it is 0 bytes.
 */
import { codec } from "./codec.js";
import type { Literal } from "../proto/idl.js";
import { decodeWith } from "./decodeWith.js";
import type { NamedLiteral } from "./NamedLiteral.js";

/** The name of output `index` (`o0`, `o1`, …). */
export function outputName(index: number): string {
  return `o${index}`;
}

/** `outputs.pb` bytes, deterministic; no outputs -> 0 bytes. */
export function encodeOutputs(literals: readonly NamedLiteral[]): Uint8Array {
  return codec.writeOutputs({
    $typeName: "flyteidl2.task.Outputs",
    literals: literals.map((l) => ({
      $typeName: "flyteidl2.task.NamedLiteral",
      name: l.name,
      value: l.literal,
    })),
  });
}

/**
 * Reads `outputs.pb` (0 bytes: no outputs). Fields this IDL lacks (`produced_artifacts`) are not
 * returned; read the message itself (`fromBinary(OutputsSchema, …)` from `@flyte/type-engine/proto`)
 * to keep them. Bytes that are not an `Outputs` throw `WireDecodeError`.
 */
export function decodeOutputs(bytes: Uint8Array): NamedLiteral[] {
  const m = decodeWith("flyteidl2.task.Outputs", bytes, codec.readOutputs);
  return m.literals.map((nl) => ({
    name: nl.name,
    literal:
      nl.value ??
      ({
        $typeName: "flyteidl2.core.Literal",
        value: { case: undefined },
        hash: "",
        metadata: {},
      } satisfies Literal),
  }));
}
