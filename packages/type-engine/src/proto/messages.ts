/**
 * Builders for the flyteidl2 messages the type engine makes. protobuf-es v2 messages are plain
 * objects tagged with `$typeName`; building them as typed object literals (every field the
 * generated type requires, checked by the compiler) gives exactly what `create()` gives without
 * loading a descriptor, so converting values costs nothing at import time and the descriptors
 * load only when bytes are written or read (see `../lazy/protoModule.ts`).
 *
 * Enum values are the generated enums' numbers, typed by the generated enum (a test checks them
 * against the generated enums at run time).
 */
import type {
  BlobType_BlobDimensionality,
  SimpleType,
} from "@flyteorg/flyteidl2/flyteidl2/core/types_pb.js";
import type {
  ContainerError_Kind,
  ExecutionError_ErrorKind,
} from "@flyteorg/flyteidl2/flyteidl2/core/execution_pb.js";

import type {
  Binary,
  Blob,
  BlobType,
  DurationMessage,
  JsonObject,
  KeyValuePair,
  Literal,
  LiteralType,
  Primitive,
  Scalar,
  Timestamp,
  TypeAnnotation,
  TypeStructure,
} from "./idl.js";

/** `flyteidl2.core.SimpleType` numbers. */
export const Simple = {
  NONE: 0 as SimpleType.NONE,
  INTEGER: 1 as SimpleType.INTEGER,
  FLOAT: 2 as SimpleType.FLOAT,
  STRING: 3 as SimpleType.STRING,
  BOOLEAN: 4 as SimpleType.BOOLEAN,
  DATETIME: 5 as SimpleType.DATETIME,
  DURATION: 6 as SimpleType.DURATION,
  BINARY: 7 as SimpleType.BINARY,
  ERROR: 8 as SimpleType.ERROR,
  STRUCT: 9 as SimpleType.STRUCT,
} as const;

/** `flyteidl2.core.BlobType.BlobDimensionality` numbers. */
export const Dimensionality = {
  SINGLE: 0 as BlobType_BlobDimensionality.SINGLE,
  MULTIPART: 1 as BlobType_BlobDimensionality.MULTIPART,
} as const;

/** `flyteidl2.core.ContainerError.Kind` numbers. */
export const ContainerErrorKind = {
  NON_RECOVERABLE: 0 as ContainerError_Kind.NON_RECOVERABLE,
  RECOVERABLE: 1 as ContainerError_Kind.RECOVERABLE,
} as const;

/** `flyteidl2.core.ExecutionError.ErrorKind` numbers (a `ContainerError`'s origin). */
export const ErrorOrigin = {
  UNKNOWN: 0 as ExecutionError_ErrorKind.UNKNOWN,
  USER: 1 as ExecutionError_ErrorKind.USER,
  SYSTEM: 2 as ExecutionError_ErrorKind.SYSTEM,
} as const;

/** A literal around a scalar. `hash` is the cache-key override (`Literal.hash`). */
export function scalarLiteral(value: Scalar["value"], hash = ""): Literal {
  return {
    $typeName: "flyteidl2.core.Literal",
    value: { case: "scalar", value: { $typeName: "flyteidl2.core.Scalar", value } },
    hash,
    metadata: {},
  };
}

/** A literal around a primitive. */
export function primitiveLiteral(value: Primitive["value"]): Literal {
  const primitive: Primitive = { $typeName: "flyteidl2.core.Primitive", value };
  return scalarLiteral({ case: "primitive", value: primitive });
}

/** `Scalar.binary` with its tag (`msgpack`). */
export function binaryLiteral(value: Uint8Array, tag: string): Literal {
  const binary: Binary = { $typeName: "flyteidl2.core.Binary", value, tag };
  return scalarLiteral({ case: "binary", value: binary });
}

/** `Scalar.none_type`. */
export function noneLiteral(): Literal {
  return scalarLiteral({ case: "noneType", value: { $typeName: "flyteidl2.core.Void" } });
}

/** `Scalar.union`: the chosen variant's literal and its (tagged) type. */
export function unionLiteral(value: Literal, type: LiteralType): Literal {
  return scalarLiteral({
    case: "union",
    value: { $typeName: "flyteidl2.core.Union", value, type },
  });
}

/** A blob type. */
export function blobType(format: string, dimensionality: BlobType["dimensionality"]): BlobType {
  return { $typeName: "flyteidl2.core.BlobType", format, dimensionality };
}

/** `Scalar.blob`; `hash` goes to `Literal.hash`, as flyte.io's File and Dir put it. */
export function blobLiteral(
  uri: string,
  format: string,
  dimensionality: BlobType["dimensionality"],
  hash = "",
): Literal {
  const blob: Blob = {
    $typeName: "flyteidl2.core.Blob",
    metadata: {
      $typeName: "flyteidl2.core.BlobMetadata",
      type: blobType(format, dimensionality),
    },
    uri,
  };
  return scalarLiteral({ case: "blob", value: blob }, hash);
}

/** `Literal.collection`. */
export function collectionLiteral(literals: Literal[]): Literal {
  return {
    $typeName: "flyteidl2.core.Literal",
    value: {
      case: "collection",
      value: { $typeName: "flyteidl2.core.LiteralCollection", literals },
    },
    hash: "",
    metadata: {},
  };
}

/** `Literal.map`. */
export function mapLiteral(literals: { [key: string]: Literal }): Literal {
  return {
    $typeName: "flyteidl2.core.Literal",
    value: { case: "map", value: { $typeName: "flyteidl2.core.LiteralMap", literals } },
    hash: "",
    metadata: {},
  };
}

/** A `google.protobuf.Timestamp`. */
export function timestamp(seconds: bigint, nanos: number): Timestamp {
  return { $typeName: "google.protobuf.Timestamp", seconds, nanos };
}

/** A `google.protobuf.Duration`. */
export function durationMessage(seconds: bigint, nanos: number): DurationMessage {
  return { $typeName: "google.protobuf.Duration", seconds, nanos };
}

/** A LiteralType with every optional part given or absent. */
export function literalType(
  type: LiteralType["type"],
  extra: {
    metadata?: JsonObject | undefined;
    annotation?: TypeAnnotation | undefined;
    structure?: TypeStructure | undefined;
  } = {},
): LiteralType {
  const lt: LiteralType = { $typeName: "flyteidl2.core.LiteralType", type };
  if (extra.metadata !== undefined) lt.metadata = extra.metadata;
  if (extra.annotation !== undefined) lt.annotation = extra.annotation;
  if (extra.structure !== undefined) lt.structure = extra.structure;
  return lt;
}

/** `TypeAnnotation { annotations }`. */
export function typeAnnotation(annotations: JsonObject): TypeAnnotation {
  return { $typeName: "flyteidl2.core.TypeAnnotation", annotations };
}

/** `TypeStructure { tag }` (no dataclass types: Flyte 2 no longer publishes them). */
export function typeStructure(tag: string): TypeStructure {
  return { $typeName: "flyteidl2.core.TypeStructure", tag, dataclassType: {} };
}

/** A `KeyValuePair` (custom context entry). */
export function keyValuePair(key: string, value: string): KeyValuePair {
  return { $typeName: "flyteidl2.core.KeyValuePair", key, value };
}
