/**
 * The type model: what a declared input or output is, in Flyte's terms. Each kind has one
 * LiteralType (see `literalTypeOf`) and one JavaScript representation (see the README's table).
 */

/** Integer: `number` (safe integers) or `bigint` (int64 beyond 2^53); `bigint: true` reads as bigint always. */
export interface IntegerType {
  readonly kind: "integer";
  /** Decode to `bigint` even when the value is within 2^53 (`types.int64()`). */
  readonly bigint?: boolean;
}

/** Every kind of {@link FlyteType}. */
export type FlyteType =
  | IntegerType
  | { readonly kind: "float" }
  | { readonly kind: "string" }
  | { readonly kind: "boolean" }
  | { readonly kind: "datetime" }
  | { readonly kind: "duration" }
  | { readonly kind: "none" }
  /** Python's `typing.Union`; `Optional[T]` is `union [T, none]`. */
  | { readonly kind: "union"; readonly variants: readonly FlyteType[] }
  | { readonly kind: "list"; readonly of: FlyteType }
  /** String-keyed map (`dict[str, T]`). */
  | { readonly kind: "map"; readonly of: FlyteType }
  /**
   * An object as msgpack `Binary` (Python's dataclass / pydantic model when `jsonSchema` is
   * given, its untyped `dict` when not). `tag` is the transformer name Python reads in a union
   * (default `"Object-Dataclass-Transformer"`; `"Pydantic Transformer"` for a pydantic model).
   */
  | { readonly kind: "struct"; readonly jsonSchema?: object; readonly tag?: string }
  /** A string from a fixed set (Python's string `enum.Enum`). */
  | { readonly kind: "enum"; readonly values: readonly string[] }
  /** A file (`single`) or folder (`multipart`). */
  | {
      readonly kind: "blob";
      readonly dimensionality: "single" | "multipart";
      /** BlobType.format of the declared type; Python declares `""`. @default "" */
      readonly format?: string;
    }
  /** The untyped rule: any value, as msgpack, typed as Python's untyped `dict`. */
  | { readonly kind: "any" };

/** The kind names. */
export type FlyteTypeKind = FlyteType["kind"];

/** Shorthands for building {@link FlyteType}s by hand. */
export const flyteTypes = {
  integer: { kind: "integer" } as FlyteType,
  int64: { kind: "integer", bigint: true } as FlyteType,
  float: { kind: "float" } as FlyteType,
  string: { kind: "string" } as FlyteType,
  boolean: { kind: "boolean" } as FlyteType,
  datetime: { kind: "datetime" } as FlyteType,
  duration: { kind: "duration" } as FlyteType,
  none: { kind: "none" } as FlyteType,
  any: { kind: "any" } as FlyteType,
  file: { kind: "blob", dimensionality: "single", format: "" } as FlyteType,
  dir: { kind: "blob", dimensionality: "multipart", format: "" } as FlyteType,
  /** `of` or none; a union is flattened, as Python's `Optional[Union[…]]` is. */
  optional: (of: FlyteType): FlyteType => unionOf([of, { kind: "none" }]),
  /** A union of the variants (nested unions flattened, one none, last). */
  union: (...variants: FlyteType[]): FlyteType => unionOf(variants),
  list: (of: FlyteType): FlyteType => ({ kind: "list", of }),
  map: (of: FlyteType): FlyteType => ({ kind: "map", of }),
  struct: (jsonSchema?: object, tag?: string): FlyteType =>
    jsonSchema === undefined
      ? { kind: "struct" }
      : tag === undefined
        ? { kind: "struct", jsonSchema }
        : { kind: "struct", jsonSchema, tag },
  enum: (values: readonly string[]): FlyteType => ({ kind: "enum", values }),
} as const;

/**
 * A union as Python's `typing.Union` builds it: nested unions flattened, none once and last
 * (`Optional[T]` = `[T, none]`); a single variant is itself.
 */
export function unionOf(variants: readonly FlyteType[]): FlyteType {
  const flat: FlyteType[] = [];
  const add = (v: FlyteType) => (v.kind === "union" ? v.variants.forEach(add) : flat.push(v));
  variants.forEach(add);
  const rest = flat.filter((v) => v.kind !== "none");
  const none = flat.find((v) => v.kind === "none");
  const ordered = none === undefined ? rest : [...rest, none];
  return ordered.length === 1 ? ordered[0]! : { kind: "union", variants: ordered };
}
