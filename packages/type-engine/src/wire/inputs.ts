/**
 * `inputs.pb`: `flyteidl2.task.Inputs { repeated NamedLiteral literals = 1; repeated
 * core.KeyValuePair context = 2; }` — the literals in declaration order, then the custom context.
 */
import { codec } from "./codec.js";
import type { Inputs, NamedLiteralMessage } from "../proto/idl.js";
import { keyValuePair } from "../proto/messages.js";
import { decodeWith } from "./decodeWith.js";
import type { NamedLiteral } from "./NamedLiteral.js";

/** The context key naming an input to fill from the run's start time (scheduled triggers). */
export const KICKOFF_TIME_INPUT_ARG = "_u_kickoff_time_input_arg";

/** What {@link decodeInputs} returns. */
export interface DecodedInputs {
  /** The literals, in the file's (declaration) order. */
  readonly literals: NamedLiteral[];
  /** The custom context: every pair but the reserved `_u_kickoff_time_input_arg` (last value wins). */
  readonly context: Record<string, string>;
  /** Every context pair as written, in order, reserved key included (to re-encode byte for byte). */
  readonly contextPairs: [string, string][];
  /** The value of `_u_kickoff_time_input_arg`: the input to fill from the run start time. */
  readonly kickoffInput?: string;
}

function namedLiteralMessages(literals: readonly NamedLiteral[]): NamedLiteralMessage[] {
  return literals.map((l) => ({
    $typeName: "flyteidl2.task.NamedLiteral",
    name: l.name,
    value: l.literal,
  }));
}

/** The `Inputs` message of {@link encodeInputs}. */
export function inputsMessage(
  literals: readonly NamedLiteral[],
  context: Readonly<Record<string, string>> | readonly (readonly [string, string])[] = [],
): Inputs {
  const pairs = Array.isArray(context)
    ? context
    : Object.entries(context as Record<string, string>);
  return {
    $typeName: "flyteidl2.task.Inputs",
    literals: namedLiteralMessages(literals),
    context: pairs.map(([k, v]) => keyValuePair(k, v)),
  };
}

/**
 * `inputs.pb` bytes, deterministic (Python's `SerializeToString(deterministic=True)`, what a
 * parent writes for a child): literals in the order given, context pairs in the order given (a
 * record's own key order; give pairs to control it exactly).
 */
export function encodeInputs(
  literals: readonly NamedLiteral[],
  context: Readonly<Record<string, string>> | readonly (readonly [string, string])[] = [],
): Uint8Array {
  return codec.writeInputs(inputsMessage(literals, context));
}

/** Reads `inputs.pb`. Bytes that are not an `Inputs` throw `WireDecodeError`. */
export function decodeInputs(bytes: Uint8Array): DecodedInputs {
  const m = decodeWith("flyteidl2.task.Inputs", bytes, codec.readInputs);
  const context: Record<string, string> = {};
  const contextPairs: [string, string][] = [];
  let kickoffInput: string | undefined;
  for (const kv of m.context) {
    contextPairs.push([kv.key, kv.value]);
    if (kv.key === KICKOFF_TIME_INPUT_ARG) kickoffInput = kv.value;
    else if (kv.key === "__proto__")
      Object.defineProperty(context, kv.key, {
        value: kv.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else context[kv.key] = kv.value;
  }
  const literals = m.literals.map((nl) => ({
    name: nl.name,
    literal: nl.value ?? {
      $typeName: "flyteidl2.core.Literal" as const,
      value: { case: undefined },
      hash: "",
      metadata: {},
    },
  }));
  return kickoffInput === undefined
    ? { literals, context, contextPairs }
    : { literals, context, contextPairs, kickoffInput };
}
