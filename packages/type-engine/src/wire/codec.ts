/**
 * message <-> bytes for each flyteidl2 message this package writes and reads, on the lazily
 * loaded descriptors (`../lazy/protoModule.ts`): deterministic writes (Python's
 * `SerializeToString(deterministic=True)`), plain reads.
 */
import { loadProto } from "../lazy/protoModule.js";
import type { ErrorDocument, Inputs, Literal, Outputs, TypedInterface } from "../proto/idl.js";

/** Deterministic bytes of each message this package writes, and the readers. */
export const codec = {
  writeInputs: (m: Inputs): Uint8Array =>
    loadProto().toBinaryDeterministic(loadProto().InputsSchema, m),
  readInputs: (b: Uint8Array): Inputs => loadProto().fromBinary(loadProto().InputsSchema, b),
  writeOutputs: (m: Outputs): Uint8Array =>
    loadProto().toBinaryDeterministic(loadProto().OutputsSchema, m),
  readOutputs: (b: Uint8Array): Outputs => loadProto().fromBinary(loadProto().OutputsSchema, b),
  writeErrorDocument: (m: ErrorDocument): Uint8Array =>
    loadProto().toBinaryDeterministic(loadProto().ErrorDocumentSchema, m),
  readErrorDocument: (b: Uint8Array): ErrorDocument =>
    loadProto().fromBinary(loadProto().ErrorDocumentSchema, b),
  writeLiteral: (m: Literal): Uint8Array =>
    loadProto().toBinaryDeterministic(loadProto().LiteralSchema, m),
  /** Each literal's deterministic bytes, written in one pass. */
  writeLiterals: (ms: readonly Literal[]): Uint8Array[] =>
    loadProto().literalsToBinaryDeterministic(ms),
  writeTypedInterface: (m: TypedInterface): Uint8Array =>
    loadProto().toBinaryDeterministic(loadProto().TypedInterfaceSchema, m),
};
