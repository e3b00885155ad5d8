/**
 * msgpack bytes -> JavaScript values, following a {@link Plan}: the library decodes (64-bit ints
 * as bigint, timestamps as Date), then a pass turns safe bigints back into numbers and applies
 * the plan (ISO strings in date-time fields to `Date`, seconds in duration fields to `Duration`,
 * flyte.io file records to `File` / `Dir`, int64 fields to bigint). The pass is skipped when the
 * plan converts nothing and the bytes hold no 64-bit int marker (0xcf / 0xd3) at all.
 */
import { TypeMismatchError, WireDecodeError } from "../errors.js";
import { describe, isPlainObject } from "../internal/describe.js";
import type { PathNode } from "../internal/PathNode.js";
import { child, pathText } from "../internal/PathNode.js";
import { Dir } from "../values/Dir.js";
import { Duration } from "../values/Duration.js";
import { File } from "../values/File.js";
import { getDecoder } from "./instances.js";
import type { Plan } from "./Plan.js";
import { deref, planConverts } from "./Plan.js";

interface Site {
  readonly where: string;
}

function mismatch(site: Site, path: PathNode | undefined, message: string): TypeMismatchError {
  return new TypeMismatchError(site.where, pathText(path), message);
}

function safeNumber(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v;
}

function convertAny(value: unknown): unknown {
  if (typeof value === "bigint") return safeNumber(value);
  if (Array.isArray(value)) return convertArray(value, (v) => convertAny(v));
  if (isPlainObject(value)) return convertObject(value, () => convertAny);
  return value;
}

function convertArray(value: unknown[], f: (v: unknown, i: number) => unknown): unknown[] {
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    const c = f(item, i);
    // Decoded arrays belong to us: change them in place.
    if (c !== item) value[i] = c;
  }
  return value;
}

function convertObject(
  value: Record<string, unknown>,
  f: (key: string) => (v: unknown) => unknown,
): Record<string, unknown> {
  for (const key of Object.keys(value)) {
    const item = value[key];
    const c = f(key)(item);
    if (c !== item) value[key] = c;
  }
  return value;
}

function fileRecord(
  site: Site,
  path: PathNode | undefined,
  value: unknown,
  what: "File" | "Dir",
): File | Dir {
  if (!isPlainObject(value) || typeof value["path"] !== "string") {
    throw mismatch(site, path, `expected a ${what} record {path, ...}, got ${describe(value)}`);
  }
  const options = {
    format: typeof value["format"] === "string" ? value["format"] : "",
    ...(typeof value["hash"] === "string" ? { hash: value["hash"] } : {}),
    ...(typeof value["name"] === "string" ? { name: value["name"] } : {}),
  };
  return what === "File" ? new File(value["path"], options) : new Dir(value["path"], options);
}

/** Whether a decoded value has the shape of a union option (first one that has is used). */
function looksLike(plan: Plan, value: unknown): boolean {
  switch (plan.k) {
    case "any":
      return true;
    case "int":
      return typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value));
    case "float":
    case "duration":
      return typeof value === "number" || typeof value === "bigint";
    case "string":
      return typeof value === "string";
    case "datetime":
      return typeof value === "string" || value instanceof Date;
    case "bool":
      return typeof value === "boolean";
    case "null":
      return value === null;
    case "bytes":
      return value instanceof Uint8Array;
    case "file":
    case "dir":
      return isPlainObject(value) && typeof value["path"] === "string";
    case "array":
      return Array.isArray(value);
    case "object":
      return isPlainObject(value);
    case "union":
      return plan.options.some((o) => looksLike(o, value));
    case "ref":
      return looksLike(deref(plan), value);
  }
}

function convert(site: Site, plan: Plan, value: unknown, path: PathNode | undefined): unknown {
  switch (plan.k) {
    case "any":
      return convertAny(value);
    case "int":
      if (typeof value === "bigint") return plan.bigint ? value : safeNumber(value);
      if (typeof value === "number") {
        if (!Number.isInteger(value))
          throw mismatch(site, path, `expected an integer, got ${describe(value)}`);
        return plan.bigint ? BigInt(value) : value;
      }
      throw mismatch(site, path, `expected an integer, got ${describe(value)}`);
    case "float":
      if (typeof value === "bigint") return Number(value);
      if (typeof value === "number") return value;
      throw mismatch(site, path, `expected a number, got ${describe(value)}`);
    case "string":
    case "bool":
    case "null":
    case "bytes":
      return value;
    case "datetime": {
      if (value instanceof Date) return value;
      const d = typeof value === "string" ? new Date(value) : undefined;
      if (d === undefined || Number.isNaN(d.getTime())) {
        throw mismatch(site, path, `expected an ISO date-time string, got ${describe(value)}`);
      }
      return d;
    }
    case "duration":
      if (typeof value === "number" || typeof value === "bigint")
        return Duration.fromSeconds(Number(value));
      throw mismatch(site, path, `expected seconds (a number), got ${describe(value)}`);
    case "file":
      return fileRecord(site, path, value, "File");
    case "dir":
      return fileRecord(site, path, value, "Dir");
    case "array":
      if (!Array.isArray(value))
        throw mismatch(site, path, `expected an array, got ${describe(value)}`);
      return convertArray(value, (v, i) =>
        convert(site, i < plan.prefix.length ? plan.prefix[i]! : plan.items, v, child(path, i)),
      );
    case "object":
      if (!isPlainObject(value))
        throw mismatch(site, path, `expected an object, got ${describe(value)}`);
      return convertObject(
        value,
        (key) => (v) => convert(site, plan.props.get(key) ?? plan.extra, v, child(path, key)),
      );
    case "union":
      for (const option of plan.options) {
        if (looksLike(option, value)) return convert(site, option, value, path);
      }
      throw mismatch(site, path, `${describe(value)} fits none of the declared alternatives`);
    case "ref":
      return convert(site, deref(plan), value, path);
  }
}

/** Whether `bytes` may hold a uint64 / int64 (a false positive only costs the conversion pass). */
function mayHoldWideInt(bytes: Uint8Array): boolean {
  return bytes.includes(0xcf) || bytes.includes(0xd3);
}

/** Decodes msgpack `bytes` under `plan`. Undecodable bytes throw `WireDecodeError`. */
export function unpackMsgpack(
  bytes: Uint8Array,
  plan: Plan,
  where: string,
  path?: PathNode,
): unknown {
  let value: unknown;
  try {
    value = getDecoder().decode(bytes);
  } catch (e) {
    throw new WireDecodeError(
      "msgpack Binary",
      `${where}${pathText(path)}: ${(e as Error).message}`,
      { cause: e },
    );
  }
  if (!planConverts(plan) && !mayHoldWideInt(bytes)) return value;
  return convert({ where }, plan, value, path);
}

/** Applies `plan` to a value that came from JSON (a generic `Struct` literal) rather than msgpack. */
export function convertPlain(value: unknown, plan: Plan, where: string, path?: PathNode): unknown {
  // The conversion works in place; the JSON belongs to the caller's literal.
  return convert({ where }, plan, structuredClone(value), path);
}
