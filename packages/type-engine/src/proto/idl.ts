/**
 * The flyteidl2 message types this package speaks, as generated for protobuf-es by
 * `@flyteorg/flyteidl2` (TypeScript sources, bundled into our build). Type-only: importing this
 * module loads no descriptor; the descriptors live in `../proto.ts`, loaded on first wire use.
 */
export type {
  Binary,
  Blob,
  BlobMetadata,
  KeyValuePair,
  Literal,
  LiteralCollection,
  LiteralMap,
  Primitive,
  Scalar,
  Union,
  Void,
} from "@flyteorg/flyteidl2/flyteidl2/core/literals_pb.js";
export type {
  BlobType,
  EnumType,
  LiteralType,
  TypeAnnotation,
  TypeStructure,
  UnionType,
} from "@flyteorg/flyteidl2/flyteidl2/core/types_pb.js";
export type {
  TypedInterface,
  Variable,
  VariableEntry,
  VariableMap,
} from "@flyteorg/flyteidl2/flyteidl2/core/interface_pb.js";
export type {
  Inputs,
  NamedLiteral as NamedLiteralMessage,
  Outputs,
} from "@flyteorg/flyteidl2/flyteidl2/task/common_pb.js";
export type {
  ContainerError,
  ErrorDocument,
} from "@flyteorg/flyteidl2/flyteidl2/core/execution_pb.js";
export type { Duration as DurationMessage, Timestamp } from "@bufbuild/protobuf/wkt";
export type { JsonObject, JsonValue } from "@bufbuild/protobuf";
