/**
 * Typed errors of the type engine. Each names what was wrong (an input, an output, a path inside
 * a value) at the moment the bad value or declaration is given.
 */

/** The codes a {@link TypeEngineError} can carry. */
export type TypeEngineErrorCode =
  "TYPE_DECLARATION" | "TYPE_MISMATCH" | "INPUT_VALIDATION" | "OUTPUT_VALIDATION" | "WIRE_DECODE";

/** Base class of every error this package throws. */
export class TypeEngineError extends Error {
  override readonly name: string = "TypeEngineError";
  readonly code: TypeEngineErrorCode;

  constructor(code: TypeEngineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * A declared type that has no Flyte equivalent (a JSON Schema the engine cannot map, a schema
 * without a JSON Schema twin). `where` names the declaration, e.g. `input "x"` or `output "o0"`.
 */
export class TypeDeclarationError extends TypeEngineError {
  override readonly name = "TypeDeclarationError";
  /** The declaration that failed, as given by the caller (`input "x"`). */
  readonly where: string;

  constructor(where: string, message: string, options?: { cause?: unknown }) {
    super("TYPE_DECLARATION", `${where}: ${message}`, options);
    this.where = where;
  }
}

/**
 * A value that does not fit its type (a float given for an integer, `undefined` inside an
 * untyped value, a literal of another shape when decoding). `where` names the input or output,
 * `path` the place inside the value (`[3].tags[0]`), empty at the top.
 */
export class TypeMismatchError extends TypeEngineError {
  override readonly name = "TypeMismatchError";
  /** The input or output the value belongs to, as given by the caller. */
  readonly where: string;
  /** Where inside the value, in JavaScript accessor syntax; `""` for the value itself. */
  readonly path: string;

  constructor(where: string, path: string, message: string, options?: { cause?: unknown }) {
    super("TYPE_MISMATCH", `${where}${path === "" ? "" : ` at ${path}`}: ${message}`, options);
    this.where = where;
    this.path = path;
  }
}

/** One problem a Standard Schema reported, as the schema reported it. */
export interface ValidationIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

function describeIssues(issues: readonly ValidationIssue[]): string {
  return issues
    .map((i) => {
      const path = (i.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join(".");
      return path === "" ? i.message : `${path}: ${i.message}`;
    })
    .join("; ");
}

/** An input refused by its declared schema's own `validate`. */
export class InputValidationError extends TypeEngineError {
  override readonly name = "InputValidationError";
  /** The input's name. */
  readonly input: string;
  /** What the schema said, unchanged. */
  readonly issues: readonly ValidationIssue[];

  constructor(input: string, issues: readonly ValidationIssue[]) {
    super("INPUT_VALIDATION", `input "${input}" is invalid: ${describeIssues(issues)}`);
    this.input = input;
    this.issues = issues;
  }
}

/** An output refused by its declared schema's own `validate`. */
export class OutputValidationError extends TypeEngineError {
  override readonly name = "OutputValidationError";
  /** The output's name (`o0`, `o1`, ...). */
  readonly output: string;
  /** What the schema said, unchanged. */
  readonly issues: readonly ValidationIssue[];

  constructor(output: string, issues: readonly ValidationIssue[]) {
    super("OUTPUT_VALIDATION", `output "${output}" is invalid: ${describeIssues(issues)}`);
    this.output = output;
    this.issues = issues;
  }
}

/** Bytes that are not the protobuf message they were read as (truncated, corrupt, another file). */
export class WireDecodeError extends TypeEngineError {
  override readonly name = "WireDecodeError";
  /** The message the bytes were read as, e.g. `flyteidl2.task.Inputs`. */
  readonly messageType: string;

  constructor(messageType: string, message: string, options?: { cause?: unknown }) {
    super("WIRE_DECODE", `cannot decode ${messageType}: ${message}`, options);
    this.messageType = messageType;
  }
}
