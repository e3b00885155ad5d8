/**
 * Everything that needs the flyteidl2 descriptors: message <-> bytes. The root entry loads this
 * module on first use (see `../lazy/codecModule.ts`), so importing `@flyte/type-engine` decodes
 * no descriptor. Errors thrown here are plain `Error`s; the callers in the root entry turn them
 * into the package's typed errors (one class identity, whichever chunk a caller came from).
 */
import { fromBinary } from "@bufbuild/protobuf";
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { ErrorDocumentSchema } from "@flyteorg/flyteidl2/flyteidl2/core/execution_pb.ts";
import { TypedInterfaceSchema } from "@flyteorg/flyteidl2/flyteidl2/core/interface_pb.ts";
import { LiteralSchema } from "@flyteorg/flyteidl2/flyteidl2/core/literals_pb.ts";
import { LiteralTypeSchema } from "@flyteorg/flyteidl2/flyteidl2/core/types_pb.ts";
import { InputsSchema, OutputsSchema } from "@flyteorg/flyteidl2/flyteidl2/task/common_pb.ts";

import type {
  ErrorDocument,
  Inputs,
  Literal,
  LiteralType,
  Outputs,
  TypedInterface,
} from "../proto/idl.js";
import { toBinaryDeterministic } from "./deterministic.js";

function reader<Desc extends DescMessage>(schema: Desc) {
  return (bytes: Uint8Array): MessageShape<Desc> => fromBinary(schema, bytes);
}

/** Deterministic bytes of each message this package writes, and the readers. */
export const codec = {
  writeInputs: (m: Inputs): Uint8Array => toBinaryDeterministic(InputsSchema, m),
  readInputs: reader(InputsSchema),
  writeOutputs: (m: Outputs): Uint8Array => toBinaryDeterministic(OutputsSchema, m),
  readOutputs: reader(OutputsSchema),
  writeErrorDocument: (m: ErrorDocument): Uint8Array =>
    toBinaryDeterministic(ErrorDocumentSchema, m),
  readErrorDocument: reader(ErrorDocumentSchema),
  writeLiteral: (m: Literal): Uint8Array => toBinaryDeterministic(LiteralSchema, m),
  readLiteral: reader(LiteralSchema),
  writeLiteralType: (m: LiteralType): Uint8Array => toBinaryDeterministic(LiteralTypeSchema, m),
  readLiteralType: reader(LiteralTypeSchema),
  writeTypedInterface: (m: TypedInterface): Uint8Array =>
    toBinaryDeterministic(TypedInterfaceSchema, m),
  readTypedInterface: reader(TypedInterfaceSchema),
};

/** The shape of {@link codec}, for the lazy loader. */
export type Codec = typeof codec;
