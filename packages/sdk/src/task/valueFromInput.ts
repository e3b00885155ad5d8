/**
 * Values typed by hand — a command-line word (`flyte run … --n 5`) or a JSON document
 * (`flyte-task --args '{"n": 5}'`) — turned into what a task input of a given Flyte type takes.
 * The declared type decides, never the text: `--n 007` for an integer is 7, `--n abc` is refused,
 * `--x 2` for a float is the float 2. A refusal is a {@link ValueInputError} naming the input.
 */
import { isAbsolute, resolve } from "node:path";

import { Dir, Duration, File } from "@flyte/type-engine";
import type { FlyteType } from "@flyte/type-engine";

import { parseDuration } from "../duration.js";

/** A value typed by hand that its input's type cannot take. */
export class ValueInputError extends TypeError {
  override readonly name = "ValueInputError";
  /** The input (or `--flag`) the value was for. */
  readonly input: string;

  constructor(input: string, message: string) {
    super(`${input} ${message}`);
    this.input = input;
  }
}

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const TRUE = new Set(["true", "1", "yes", "y", "on"]);
const FALSE = new Set(["false", "0", "no", "n", "off"]);

/** A command-line word as a value of `type` (lists, maps and objects as JSON). */
export function valueFromText(text: string, type: FlyteType, input: string): unknown {
  switch (type.kind) {
    case "integer":
      return integerFrom(text.trim(), input);
    case "float":
      return floatFrom(text.trim(), input);
    case "string":
      return text;
    case "boolean": {
      const v = text.trim().toLowerCase();
      if (TRUE.has(v)) return true;
      if (FALSE.has(v)) return false;
      throw new ValueInputError(input, `wants true or false, got ${JSON.stringify(text)}`);
    }
    case "datetime":
      return dateFrom(text, input);
    case "duration":
      return durationFrom(text, input);
    case "none":
      if (/^(null|none)?$/i.test(text.trim())) return null;
      throw new ValueInputError(input, `wants nothing (null), got ${JSON.stringify(text)}`);
    case "enum":
      if (type.values.includes(text)) return text;
      throw new ValueInputError(
        input,
        `wants one of ${type.values.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(text)}`,
      );
    case "union": {
      if (/^(null|none)$/i.test(text.trim()) && type.variants.some((v) => v.kind === "none"))
        return null;
      const problems: string[] = [];
      for (const variant of type.variants) {
        if (variant.kind === "none") continue;
        try {
          return valueFromText(text, variant, input);
        } catch (error) {
          problems.push(error instanceof Error ? error.message : String(error));
        }
      }
      throw new ValueInputError(input, `fits none of its types: ${problems.join("; ")}`);
    }
    case "blob":
      return blobFrom(text, type.dimensionality, input);
    case "list":
    case "map":
    case "struct":
      return valueFromJson(jsonFrom(text, input), type, input);
    case "any":
      // Untyped: JSON where it parses, else the text itself.
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
  }
}

/** A JSON value as a value of `type`. */
export function valueFromJson(json: unknown, type: FlyteType, input: string): unknown {
  switch (type.kind) {
    case "integer":
      if (typeof json === "number" && Number.isInteger(json)) return json;
      if (typeof json === "string") return integerFrom(json.trim(), input);
      throw new ValueInputError(input, `wants an integer, got ${show(json)}`);
    case "float":
      if (typeof json === "number") return json;
      if (typeof json === "string") return floatFrom(json.trim(), input);
      throw new ValueInputError(input, `wants a number, got ${show(json)}`);
    case "string":
    case "enum":
      if (typeof json === "string")
        return type.kind === "string" ? json : valueFromText(json, type, input);
      throw new ValueInputError(input, `wants a string, got ${show(json)}`);
    case "boolean":
      if (typeof json === "boolean") return json;
      throw new ValueInputError(input, `wants true or false, got ${show(json)}`);
    case "datetime":
      if (typeof json === "string") return dateFrom(json, input);
      throw new ValueInputError(
        input,
        `wants an ISO 8601 time ("2026-01-02T03:04:05Z"), got ${show(json)}`,
      );
    case "duration":
      if (typeof json === "string" || typeof json === "number")
        return durationFrom(String(json), input);
      throw new ValueInputError(
        input,
        `wants a duration ("90s", "1h30m", or milliseconds), got ${show(json)}`,
      );
    case "none":
      if (json === null) return null;
      throw new ValueInputError(input, `wants null, got ${show(json)}`);
    case "union": {
      if (json === null && type.variants.some((v) => v.kind === "none")) return null;
      const problems: string[] = [];
      for (const variant of type.variants) {
        if (variant.kind === "none") continue;
        try {
          return valueFromJson(json, variant, input);
        } catch (error) {
          problems.push(error instanceof Error ? error.message : String(error));
        }
      }
      throw new ValueInputError(input, `fits none of its types: ${problems.join("; ")}`);
    }
    case "list":
      if (!Array.isArray(json))
        throw new ValueInputError(input, `wants a JSON array, got ${show(json)}`);
      return json.map((item, i) => valueFromJson(item, type.of, `${input}[${i}]`));
    case "map": {
      if (json === null || typeof json !== "object" || Array.isArray(json)) {
        throw new ValueInputError(input, `wants a JSON object, got ${show(json)}`);
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(json)) {
        Object.defineProperty(out, k, {
          value: valueFromJson(v, type.of, `${input}.${k}`),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    case "struct":
      if (json === null || typeof json !== "object" || Array.isArray(json)) {
        throw new ValueInputError(input, `wants a JSON object, got ${show(json)}`);
      }
      return json;
    case "blob":
      if (typeof json === "string") return blobFrom(json, type.dimensionality, input);
      throw new ValueInputError(input, `wants a path or URI, got ${show(json)}`);
    case "any":
      return json;
  }
}

function integerFrom(text: string, input: string): number | bigint {
  if (!INTEGER.test(text))
    throw new ValueInputError(input, `wants an integer, got ${JSON.stringify(text)}`);
  const n = Number(text);
  if (Number.isSafeInteger(n)) return n;
  const big = BigInt(text);
  if (big > 9_223_372_036_854_775_807n || big < -9_223_372_036_854_775_808n) {
    throw new ValueInputError(input, `is ${text}, outside the 64-bit integers Flyte holds`);
  }
  return big;
}

function floatFrom(text: string, input: string): number {
  if (FLOAT.test(text)) return Number(text);
  const special = text.toLowerCase();
  if (special === "nan") return Number.NaN;
  if (special === "inf" || special === "+inf" || special === "infinity" || special === "+infinity")
    return Number.POSITIVE_INFINITY;
  if (special === "-inf" || special === "-infinity") return Number.NEGATIVE_INFINITY;
  throw new ValueInputError(input, `wants a number, got ${JSON.stringify(text)}`);
}

function dateFrom(text: string, input: string): Date {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) {
    // A time without a zone is UTC, as the Python SDK reads it.
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(t) || !/T|\s\d/.test(t) ? t : `${t}Z`;
    const date = new Date(zoned.replace(" ", "T"));
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new ValueInputError(
    input,
    `wants an ISO 8601 time ("2026-01-02T03:04:05Z"), got ${JSON.stringify(text)}`,
  );
}

function durationFrom(text: string, input: string): Duration {
  const t = text.trim();
  const ms = /^\d+(?:\.\d+)?$/.test(t) ? Number(t) : parseDuration(t);
  if (ms === undefined)
    throw new ValueInputError(
      input,
      `wants a duration ("90s", "1h30m", "250ms", or milliseconds), got ${JSON.stringify(text)}`,
    );
  return Duration.fromMillis(ms);
}

function blobFrom(text: string, dimensionality: "single" | "multipart", input: string): File | Dir {
  const t = text.trim();
  if (t === "") throw new ValueInputError(input, "wants a path or URI, got nothing");
  const uri = /^[a-zA-Z][a-zA-Z0-9+.-]+:\/\//.test(t) || isAbsolute(t) ? t : resolve(t);
  return dimensionality === "single" ? new File(uri) : new Dir(uri);
}

function jsonFrom(text: string, input: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValueInputError(
      input,
      `wants JSON, got ${JSON.stringify(text)} (${(error as Error).message})`,
    );
  }
}

function show(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  return JSON.stringify(v);
}
