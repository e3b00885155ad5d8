/**
 * @flyte/type-engine: Flyte 2's wire for TypeScript.
 *
 * - a type engine: JavaScript values <-> `flyteidl2.core.Literal`, by a declared type
 *   (`FlyteType`, read from a Standard Schema with `typeOfSchema`, or the `types.*` helpers) or
 *   by the untyped rule, exactly as the Python SDK's transformers write them;
 * - the task container's files: `inputs.pb`, `outputs.pb`, `error.pb`, deterministic;
 * - Python-identical identities: inputs hash, interface and task hash, cache key, child action names;
 * - `File`, `Dir` and `Duration` values.
 *
 * Importing this entry loads no protobuf descriptor and no msgpack code: they load on first use.
 * The descriptors themselves (`LiteralSchema`, …) are on the `@flyte/type-engine/proto` subpath.
 */
export {
  InputValidationError,
  OutputValidationError,
  TypeDeclarationError,
  TypeEngineError,
  TypeMismatchError,
  WireDecodeError,
} from "./errors.js";
export type { TypeEngineErrorCode, ValidationIssue } from "./errors.js";
export type {
  Binary,
  Blob,
  BlobType,
  ContainerError,
  DurationMessage,
  ErrorDocument,
  Inputs,
  JsonObject,
  JsonValue,
  KeyValuePair,
  Literal,
  LiteralCollection,
  LiteralMap,
  LiteralType,
  NamedLiteralMessage,
  Outputs,
  Primitive,
  Scalar,
  Timestamp,
  TypeAnnotation,
  TypedInterface,
  TypeStructure,
  Union,
  UnionType,
  Variable,
  VariableEntry,
  VariableMap,
} from "./proto/idl.js";
export type { FlyteType, FlyteTypeKind, IntegerType } from "./types/FlyteType.js";
export { flyteTypes, unionOf } from "./types/FlyteType.js";
export {
  literalTypeOf,
  taggedLiteralTypeOf,
  transformerName,
  MSGPACK_ANNOTATION,
} from "./types/literalTypeOf.js";
export { toLiteral, fromLiteral } from "./types/literalCodec.js";
export { MSGPACK_TAG } from "./types/msgpackTag.js";
export type {
  StandardJSONSchemaV1,
  StandardSchemaV1,
  StandardTypedV1,
} from "./schema/StandardSchema.js";
export type { DeclaredSchema, FlyteSchema } from "./schema/FlyteSchema.js";
export { isFlyteSchema } from "./schema/FlyteSchema.js";
export { typeOfSchema } from "./schema/typeOfSchema.js";
export { typeOfJsonSchema } from "./schema/typeOfJsonSchema.js";
export { FLYTE_TYPE_KEYWORD } from "./schema/jsonSchemaOf.js";
export type { FlyteTypeMarker } from "./schema/jsonSchemaOf.js";
export { types } from "./schema/types.js";
export { validateInput, validateOutput } from "./schema/validate.js";
export type { NamedLiteral } from "./wire/NamedLiteral.js";
export { decodeInputs, encodeInputs, KICKOFF_TIME_INPUT_ARG } from "./wire/inputs.js";
export type { DecodedInputs } from "./wire/inputs.js";
export { decodeOutputs, encodeOutputs, outputName } from "./wire/outputs.js";
export { decodeError, encodeError } from "./wire/errorDocument.js";
export type { ContainerErrorInfo } from "./wire/errorDocument.js";
export { inputsHash, inputsHashPreimage } from "./identity/inputsHash.js";
export { interfaceHash, typedInterface } from "./identity/typedInterface.js";
export { cacheKey } from "./identity/cacheKey.js";
export { taskHash } from "./identity/taskHash.js";
export { childActionName } from "./identity/childActionName.js";
export { File } from "./values/File.js";
export type { FileOptions, FileRecord, FileUploadOptions } from "./values/File.js";
export { Dir } from "./values/Dir.js";
export { Duration } from "./values/Duration.js";
export type { DurationLike } from "./values/Duration.js";
