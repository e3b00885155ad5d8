/**
 * JavaScript values -> msgpack bytes identical to what msgpack-python's `packb(use_bin_type=True)`
 * writes for the same Python value, following a {@link Plan}.
 *
 * A first pass checks the value against the plan and prepares it for `@msgpack/msgpack`: ints
 * beyond 32 bits become `bigint` (written uint64/int64 as Python does), small bigints become
 * numbers (smallest form), a `Date` in a date-time field becomes its ISO string, a File its
 * flyte.io record, and so on — copying only the containers that change. The library then writes
 * the prepared value in one call.
 *
 * One thing the library cannot write: a float that is a whole number (`2.0`, `-0`) as float64
 * in the middle of a value (its only float switch, `forceIntegerToFloat`, applies to every
 * number). Such floats are wrapped ({@link F64}); the containers around them are written here,
 * header by header, with every scalar and every unwrapped subtree still written by the library
 * (the float itself by an encoder with `forceIntegerToFloat`). Only the array and map headers
 * are ours: a fixed table of the msgpack spec.
 */
import { TypeMismatchError } from "../errors.js";
import { describe, isPlainObject } from "../internal/describe.js";
import type { PathNode } from "../internal/PathNode.js";
import { child, pathText } from "../internal/PathNode.js";
import { Dir } from "../values/Dir.js";
import { Duration } from "../values/Duration.js";
import { durationFrom } from "../values/durationFrom.js";
import { File } from "../values/File.js";
import { getEncoder, getFloatEncoder } from "./instances.js";
import type { Plan } from "./Plan.js";
import { ANY, deref } from "./Plan.js";
import { concatBytes } from "../internal/concatBytes.js";

const TWO_32 = 2 ** 32;
const MINUS_TWO_31 = -(2 ** 31);
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** A float to be written as float64 even though it is whole. */
class F64 {
  constructor(readonly value: number) {}
}
/** An array holding an {@link F64} somewhere below. */
class MarkedArray {
  constructor(readonly items: readonly unknown[]) {}
}
/** A map holding an {@link F64} somewhere below. */
class MarkedMap {
  constructor(readonly entries: ReadonlyArray<readonly [string, unknown]>) {}
}

function isMarked(v: unknown): boolean {
  return v instanceof F64 || v instanceof MarkedArray || v instanceof MarkedMap;
}

/** Where a value is being packed: the input/output name and the path inside. */
interface Site {
  readonly where: string;
}

function mismatch(site: Site, path: PathNode | undefined, message: string): TypeMismatchError {
  return new TypeMismatchError(site.where, pathText(path), message);
}

/** An int as the library must get it to write Python's form: number up to 32 bits, bigint beyond. */
function intForm(site: Site, path: PathNode | undefined, v: number | bigint): number | bigint {
  if (typeof v === "bigint") {
    if (v < INT64_MIN || v > UINT64_MAX) {
      throw mismatch(site, path, `${v}n does not fit in 64 bits (msgpack's widest int)`);
    }
    return v >= BigInt(MINUS_TWO_31) && v < BigInt(TWO_32) ? Number(v) : v;
  }
  // -0 is the integer 0 here: the type says integer.
  return v >= TWO_32 || v < MINUS_TWO_31 ? BigInt(v) : v === 0 ? 0 : v;
}

/** Prepares `value` under `plan`; returns it unchanged where the library can write it as is. */
function prepare(site: Site, plan: Plan, value: unknown, path: PathNode | undefined): unknown {
  switch (plan.k) {
    case "any":
      return prepareAny(site, value, path);
    case "int":
      if (typeof value === "bigint" || (typeof value === "number" && Number.isSafeInteger(value))) {
        return intForm(site, path, value);
      }
      throw mismatch(site, path, `expected an integer, got ${describe(value)}`);
    case "float":
      if (typeof value !== "number")
        throw mismatch(site, path, `expected a number, got ${describe(value)}`);
      return Number.isInteger(value) ? new F64(value) : value;
    case "string":
      if (typeof value !== "string")
        throw mismatch(site, path, `expected a string, got ${describe(value)}`);
      return value;
    case "bool":
      if (typeof value !== "boolean")
        throw mismatch(site, path, `expected a boolean, got ${describe(value)}`);
      return value;
    case "null":
      if (value !== null && value !== undefined)
        throw mismatch(site, path, `expected null, got ${describe(value)}`);
      return null;
    case "datetime":
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
        throw mismatch(site, path, `expected a valid Date, got ${describe(value)}`);
      }
      // "+00:00" rather than "Z": Python's datetime.fromisoformat reads it on every version.
      return value.toISOString().replace("Z", "+00:00");
    case "duration": {
      const seconds = durationSeconds(site, path, value);
      return Number.isInteger(seconds) ? new F64(seconds) : seconds;
    }
    case "bytes":
      if (!(value instanceof Uint8Array))
        throw mismatch(site, path, `expected a Uint8Array, got ${describe(value)}`);
      return value;
    case "file":
      if (!File.isFile(value))
        throw mismatch(site, path, `expected a File, got ${describe(value)}`);
      return value.toJSON();
    case "dir":
      if (!Dir.isDir(value)) throw mismatch(site, path, `expected a Dir, got ${describe(value)}`);
      return value.toJSON();
    case "array":
      if (!Array.isArray(value))
        throw mismatch(site, path, `expected an array, got ${describe(value)}`);
      return prepareArray(site, plan.prefix, plan.items, value, path);
    case "object":
      if (value instanceof Map)
        return prepareObject(
          site,
          plan.props,
          plan.extra,
          mapRecord(site, value, path),
          path,
          true,
        );
      if (!isPlainObject(value))
        throw mismatch(site, path, `expected an object, got ${describe(value)}`);
      return prepareObject(site, plan.props, plan.extra, value, path, true);
    case "union": {
      for (const option of plan.options) {
        if (accepts(option, value)) return prepare(site, option, value, path);
      }
      throw mismatch(site, path, `${describe(value)} fits none of the declared alternatives`);
    }
    case "ref":
      return prepare(site, deref(plan), value, path);
  }
}

function durationSeconds(site: Site, path: PathNode | undefined, value: unknown): number {
  let d: Duration | undefined;
  try {
    d = durationFrom(value);
  } catch (e) {
    throw mismatch(site, path, (e as Error).message);
  }
  if (d === undefined)
    throw mismatch(site, path, `expected a Duration (or milliseconds), got ${describe(value)}`);
  return d.toSeconds();
}

/** Whether a union option's shape accepts `value` (first one that does is used). */
export function accepts(plan: Plan, value: unknown): boolean {
  switch (plan.k) {
    case "any":
      return true;
    case "int":
      return (
        typeof value === "bigint" || (typeof value === "number" && Number.isSafeInteger(value))
      );
    case "float":
      return typeof value === "number";
    case "string":
      return typeof value === "string";
    case "bool":
      return typeof value === "boolean";
    case "null":
      return value === null || value === undefined;
    case "datetime":
      return value instanceof Date;
    case "duration":
      return value instanceof Duration;
    case "bytes":
      return value instanceof Uint8Array;
    case "file":
      return File.isFile(value);
    case "dir":
      return Dir.isDir(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return value instanceof Map || isPlainObject(value);
    case "union":
      return plan.options.some((o) => accepts(o, value));
    case "ref":
      return accepts(deref(plan), value);
  }
}

function prepareAny(site: Site, value: unknown, path: PathNode | undefined): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      // The untyped rule: a safe integer is an int; any other number (and -0) a float.
      if (Number.isSafeInteger(value) && !Object.is(value, -0)) return intForm(site, path, value);
      return Number.isInteger(value) ? new F64(value) : value;
    case "bigint":
      return intForm(site, path, value);
    case "undefined":
      throw mismatch(site, path, "undefined has no msgpack form (use null, or leave the key out)");
    case "object": {
      if (value === null) return null;
      if (Array.isArray(value)) return prepareArray(site, [], ANY, value, path);
      if (isPlainObject(value)) return prepareObject(site, undefined, ANY, value, path, false);
      if (value instanceof Uint8Array) return value;
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime()))
          throw mismatch(site, path, "an invalid Date has no msgpack form");
        return value; // the library's timestamp extension (-1)
      }
      if (value instanceof Map)
        return prepareObject(site, undefined, ANY, mapRecord(site, value, path), path, false);
      if (File.isFile(value) || Dir.isDir(value)) return value.toJSON();
      if (value instanceof Duration) {
        throw mismatch(
          site,
          path,
          "a Duration inside an undeclared value has no msgpack form; declare the type (types.duration())",
        );
      }
      throw mismatch(
        site,
        path,
        `${describe(value)} has no msgpack form (plain objects, arrays, Map, Date, Uint8Array, File, Dir only)`,
      );
    }
    default:
      throw mismatch(site, path, `${describe(value)} has no msgpack form`);
  }
}

function mapRecord(
  site: Site,
  map: Map<unknown, unknown>,
  path: PathNode | undefined,
): Record<string, unknown> {
  const record = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of map) {
    if (typeof k !== "string")
      throw mismatch(site, path, `a Map key must be a string, got ${describe(k)}`);
    record[k] = v;
  }
  return record;
}

function prepareArray(
  site: Site,
  prefix: readonly Plan[],
  items: Plan,
  value: readonly unknown[],
  path: PathNode | undefined,
): unknown {
  let out: unknown[] | undefined;
  let marked = false;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    const p = prepare(site, i < prefix.length ? prefix[i]! : items, item, child(path, i));
    if (p !== item && out === undefined) out = value.slice(0, i);
    if (out !== undefined) out.push(p);
    if (!marked && isMarked(p)) marked = true;
  }
  const result = out ?? value;
  return marked ? new MarkedArray(result) : result;
}

function prepareObject(
  site: Site,
  props: ReadonlyMap<string, Plan> | undefined,
  extra: Plan,
  value: Record<string, unknown>,
  path: PathNode | undefined,
  typed: boolean,
): unknown {
  const keys = Object.keys(value);
  let out: Record<string, unknown> | undefined;
  let marked = false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = value[key];
    if (item === undefined && typed) {
      // A declared object's optional field left undefined is absent, as JSON has it.
      out ??= copyKeys(value, keys, i);
      continue;
    }
    const p = prepare(site, props?.get(key) ?? extra, item, child(path, key));
    if (p !== item && out === undefined) out = copyKeys(value, keys, i);
    if (out !== undefined) out[key] = p;
    if (!marked && isMarked(p)) marked = true;
  }
  const result = out ?? value;
  if (!marked) return result;
  return new MarkedMap(Object.keys(result).map((k) => [k, result[k]] as const));
}

/** A null-prototype copy of the first `n` keys (a `__proto__` key stays a plain key). */
function copyKeys(
  value: Record<string, unknown>,
  keys: readonly string[],
  n: number,
): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    if (value[k] !== undefined) out[k] = value[k];
  }
  return out;
}

// ----------------------------------------------------------------------------------------------
// writing

function header(out: number[], n: number, fix: number, c16: number, c32: number): void {
  if (n < 16) out.push(fix | n);
  else if (n < 0x10000) out.push(c16, n >>> 8, n & 0xff);
  else out.push(c32, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function writeMarked(value: unknown, parts: Uint8Array[]): void {
  if (value instanceof F64) {
    parts.push(getFloatEncoder().encode(value.value));
  } else if (value instanceof MarkedArray) {
    const h: number[] = [];
    header(h, value.items.length, 0x90, 0xdc, 0xdd);
    parts.push(Uint8Array.from(h));
    for (const item of value.items) writeMarked(item, parts);
  } else if (value instanceof MarkedMap) {
    const h: number[] = [];
    header(h, value.entries.length, 0x80, 0xde, 0xdf);
    parts.push(Uint8Array.from(h));
    for (const [k, v] of value.entries) {
      parts.push(getEncoder().encode(k));
      writeMarked(v, parts);
    }
  } else {
    parts.push(getEncoder().encode(value));
  }
}

/**
 * `value` as msgpack under `plan` (the untyped rule by default). Throws `TypeMismatchError`
 * naming `where` and the path inside the value when a part does not fit.
 */
export function packMsgpack(
  value: unknown,
  plan: Plan,
  where: string,
  path?: PathNode,
): Uint8Array {
  let prepared: unknown;
  try {
    prepared = prepare({ where }, plan, value, path);
  } catch (e) {
    // A cyclic value recurses until the stack runs out; say so rather than "stack size".
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new TypeMismatchError(
        where,
        "",
        "the value is cyclic or nested too deeply for msgpack",
        { cause: e },
      );
    }
    throw e;
  }
  if (!isMarked(prepared)) return getEncoder().encode(prepared);
  const parts: Uint8Array[] = [];
  writeMarked(prepared, parts);
  return concatBytes(parts);
}
