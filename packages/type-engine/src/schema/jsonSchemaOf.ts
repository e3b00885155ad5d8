/**
 * A Standard JSON Schema's input JSON Schema (draft 2020-12), with the types JSON Schema cannot
 * express (Date, bigint, Uint8Array, File, Dir, Duration) marked by an `x-flyte-type` keyword
 * where the schema library lets a caller hook its converter through public options:
 * - zod 4: `libraryOptions: { unrepresentable: "any", override(ctx) }` (`ctx.zodSchema._zod.def.type`,
 *   the introspection zod documents for `override`; a `z.instanceof(C)` is recognised by asking
 *   its own `validate` about a sample value);
 * - valibot (`@valibot/to-json-schema`'s `toStandardJsonSchema`): `overrideSchema(ctx)`;
 * - arktype: `fallback(ctx)` (codes `date`, `domain` bigint, `proto`).
 * Other libraries get the standard call alone.
 */
import { Dir } from "../values/Dir.js";
import { Duration } from "../values/Duration.js";
import { File } from "../values/File.js";
import type { StandardJSONSchemaV1, StandardSchemaV1 } from "./StandardSchema.js";

/** The keyword that carries a Flyte type a JSON Schema cannot express. */
export const FLYTE_TYPE_KEYWORD = "x-flyte-type";

/** Values of {@link FLYTE_TYPE_KEYWORD}. */
export type FlyteTypeMarker = "datetime" | "duration" | "int64" | "bytes" | "file" | "dir";

/** The JSON Schema each marker stands in, so other tools still read a sensible schema. */
export function markedSchema(marker: FlyteTypeMarker): Record<string, unknown> {
  switch (marker) {
    case "datetime":
      return { type: "string", format: "date-time", [FLYTE_TYPE_KEYWORD]: marker };
    case "duration":
      return { type: "number", description: "seconds", [FLYTE_TYPE_KEYWORD]: marker };
    case "int64":
      return { type: "integer", format: "int64", [FLYTE_TYPE_KEYWORD]: marker };
    case "bytes":
      return { type: "string", contentEncoding: "base64", [FLYTE_TYPE_KEYWORD]: marker };
    case "file":
    case "dir":
      // flyte.io's File / Dir model: what they are inside a dataclass or pydantic model.
      return {
        type: "object",
        title: marker === "file" ? "File" : "Dir",
        properties: {
          path: { type: "string" },
          name: { anyOf: [{ type: "string" }, { type: "null" }] },
          format: { type: "string" },
          hash: { anyOf: [{ type: "string" }, { type: "null" }] },
        },
        required: ["path"],
        [FLYTE_TYPE_KEYWORD]: marker,
      };
  }
}

function classMarker(cls: unknown): FlyteTypeMarker | undefined {
  if (cls === Uint8Array) return "bytes";
  if (cls === File) return "file";
  if (cls === Dir) return "dir";
  if (cls === Duration) return "duration";
  if (cls === Date) return "datetime";
  return undefined;
}

/** What a schema's own (synchronous) `validate` accepts, among the values without a JSON Schema. */
function probeMarker(schema: unknown): FlyteTypeMarker | undefined {
  const std = (schema as Partial<StandardSchemaV1>)["~standard"];
  if (typeof std?.validate !== "function") return undefined;
  const ok = (v: unknown): boolean => {
    try {
      const r = std.validate(v);
      return !(r instanceof Promise) && r.issues === undefined;
    } catch {
      return false;
    }
  };
  if (ok({})) return undefined; // accepts anything object-like: nothing specific
  if (ok(new Uint8Array(0))) return "bytes";
  if (ok(new File("probe://x"))) return "file";
  if (ok(new Dir("probe://x"))) return "dir";
  if (ok(new Duration(0))) return "duration";
  if (ok(new Date(0))) return "datetime";
  return undefined;
}

function setMarker(target: Record<string, unknown>, marker: FlyteTypeMarker): void {
  for (const k of Object.keys(target)) delete target[k];
  Object.assign(target, markedSchema(marker));
}

interface ZodOverrideContext {
  readonly zodSchema: { readonly _zod: { readonly def: { readonly type: string } } };
  readonly jsonSchema: Record<string, unknown>;
}

interface ValibotOverrideContext {
  readonly valibotSchema: { readonly type: string; readonly class?: unknown };
}

interface ArkFallbackContext {
  readonly code: string;
  readonly base: Record<string, unknown>;
  readonly domain?: string;
  readonly proto?: unknown;
}

function libraryOptions(vendor: string): Record<string, unknown> | undefined {
  switch (vendor) {
    case "zod":
      return {
        unrepresentable: "any",
        override(ctx: ZodOverrideContext) {
          const type = ctx.zodSchema._zod.def.type;
          const marker =
            type === "date"
              ? "datetime"
              : type === "bigint"
                ? "int64"
                : type === "custom"
                  ? probeMarker(ctx.zodSchema)
                  : undefined;
          if (marker !== undefined) setMarker(ctx.jsonSchema, marker);
        },
      };
    case "valibot":
      return {
        overrideSchema(ctx: ValibotOverrideContext) {
          const s = ctx.valibotSchema;
          const marker =
            s.type === "date"
              ? "datetime"
              : s.type === "bigint"
                ? "int64"
                : s.type === "instance"
                  ? classMarker(s.class)
                  : undefined;
          return marker === undefined ? undefined : markedSchema(marker);
        },
      };
    case "arktype":
      return {
        fallback(ctx: ArkFallbackContext) {
          const marker =
            ctx.code === "date"
              ? "datetime"
              : ctx.code === "domain" && ctx.domain === "bigint"
                ? "int64"
                : ctx.code === "proto"
                  ? classMarker(ctx.proto)
                  : undefined;
          return marker === undefined ? ctx.base : { ...ctx.base, ...markedSchema(marker) };
        },
      };
    default:
      return undefined;
  }
}

/** Whether `schema` has a Standard JSON Schema converter. */
export function hasJsonSchema(schema: unknown): schema is StandardJSONSchemaV1 {
  const std = (schema as Partial<StandardJSONSchemaV1> | null)?.["~standard"];
  return typeof std?.jsonSchema?.input === "function";
}

/** The input JSON Schema of `schema`, with the marker hooks of its library. Throws what the library throws. */
export function jsonSchemaOf(schema: StandardJSONSchemaV1): Record<string, unknown> {
  const std = schema["~standard"];
  const options = libraryOptions(std.vendor);
  return std.jsonSchema.input(
    options === undefined
      ? { target: "draft-2020-12" }
      : { target: "draft-2020-12", libraryOptions: options },
  );
}
