import { CustomContextError, showKey } from "../errors.js";
import {
  CUSTOM_CONTEXT_KEY_PATTERN,
  MAX_CUSTOM_CONTEXT_KEY_LENGTH,
  type CustomContextLimits,
  RESERVED_CUSTOM_CONTEXT_PREFIXES,
  customContextLimits,
} from "../limits.js";
import { utf8Length } from "./utf8Length.js";
import type { TaskContext } from "@flyte/context-core";

type StringMap = Readonly<Record<string, string>>;

/** Entry count and UTF-8 size of a map, remembered per frozen map so nested scopes stay O(new keys). */
interface Size {
  readonly entries: number;
  readonly bytes: number;
  /** False for a bound (overrides counted as new keys): never under the real size. */
  readonly exact: boolean;
}

const sizes = new WeakMap<object, Size>();

/** An empty frozen map, shared. */
export const EMPTY_MAP: StringMap = Object.freeze({});
sizes.set(EMPTY_MAP, { entries: 0, bytes: 0, exact: true });

/** Records the size of a frozen map this package built (or that a TaskContext copied from one). */
export function rememberSize(map: StringMap, size: Size): void {
  sizes.set(map, size);
}

/**
 * Sizes of the custom contexts of the TaskContexts scopes made most recently: a small ring, not a
 * WeakMap, because a WeakMap entry per scope costs more than the rest of the scope (ephemeron
 * bookkeeping). A scope's base is nearly always one of the last few scopes, or a task whose size
 * was measured once (kept weakly, see `measured`).
 */
const RING = 8;
const ringTasks: (TaskContext | undefined)[] = new Array<TaskContext | undefined>(RING).fill(
  undefined,
);
const ringSizes: (Size | undefined)[] = new Array<Size | undefined>(RING).fill(undefined);
let ringNext = 0;
const measured = new WeakMap<TaskContext, Size>();

/** Records the size of the custom context of a TaskContext a scope made. */
export function rememberTaskSize(task: TaskContext, size: Size): void {
  ringTasks[ringNext] = task;
  ringSizes[ringNext] = size;
  ringNext = (ringNext + 1) % RING;
}

function sizeOfTask(task: TaskContext): Size {
  for (let i = 0; i < RING; i++) if (ringTasks[i] === task) return ringSizes[i]!;
  let size = measured.get(task);
  if (size === undefined) {
    size = sizeOf(task.customContext);
    measured.set(task, size);
  }
  return size;
}

/** The exact size of `map`: a bound remembered for it is measured again. */
function exactSizeOf(map: StringMap): Size {
  const size = sizes.get(map);
  if (size !== undefined && size.exact) return size;
  if (size !== undefined) sizes.delete(map);
  return sizeOf(map);
}

function sizeOf(map: StringMap): Size {
  let size = sizes.get(map);
  if (size === undefined) {
    // A map built elsewhere (by a runner, say): measured once, never re-validated here; a
    // lone surrogate in it counts as the 3 bytes of the replacement character it would become.
    let entries = 0;
    let bytes = 0;
    for (const key of Object.keys(map)) {
      entries++;
      bytes += lenient(key) + lenient(map[key]!);
    }
    size = { entries, bytes, exact: true };
    if (Object.isFrozen(map)) sizes.set(map, size);
  }
  return size;
}

function lenient(s: string): number {
  const n = utf8Length(s);
  return n >= 0 ? n : new TextEncoder().encode(s).length;
}

/**
 * Checks one key against the documented rules; throws a {@link CustomContextError} naming it.
 * Reserved prefixes are checked before the pattern so that `_u_x` is reported as reserved.
 */
export function checkKey(key: unknown): asserts key is string {
  // Keys repeat (the same few names in every scope): a key that passed once passes again.
  if (typeof key === "string" && validKeys.has(key)) return;
  checkKeySlow(key);
  if (validKeys.size >= MAX_VALID_KEYS) validKeys.clear();
  validKeys.add(key);
}

/** Keys known to pass {@link checkKey}; bounded, so hostile streams of keys cannot grow it. */
const validKeys = new Set<string>();
const MAX_VALID_KEYS = 4096;

function checkKeySlow(key: unknown): asserts key is string {
  if (typeof key !== "string") {
    throw new CustomContextError(
      "NON_STRING_KEY",
      `custom context keys must be strings, got ${typeof key === "symbol" ? key.toString() : typeof key}`,
    );
  }
  if (key.length === 0) {
    throw new CustomContextError("EMPTY_KEY", "custom context keys must not be empty", { key });
  }
  if (RESERVED_CUSTOM_CONTEXT_PREFIXES.some((prefix) => key.startsWith(prefix))) {
    throw new CustomContextError(
      "RESERVED_KEY",
      `custom context key ${showKey(key)} uses a reserved prefix (${RESERVED_CUSTOM_CONTEXT_PREFIXES.join(", ")} are kept for the platform)`,
      { key },
    );
  }
  if (key.length > MAX_CUSTOM_CONTEXT_KEY_LENGTH || !CUSTOM_CONTEXT_KEY_PATTERN.test(key)) {
    throw new CustomContextError(
      "MALFORMED_KEY",
      `custom context key ${showKey(key)} is malformed: keys must match ${String(CUSTOM_CONTEXT_KEY_PATTERN)} ` +
        `(a letter, then letters, digits, "_", "." or "-") and be at most ${MAX_CUSTOM_CONTEXT_KEY_LENGTH} characters`,
      { key },
    );
  }
}

/** Values that passed every check against one base, ready to be merged into it. */
export interface CheckedValues {
  readonly keys: readonly string[];
  readonly values: readonly string[];
  /** The size of the merged map. */
  readonly size: Size;
}

/**
 * The checked entries, spelt unambiguously (`key NUL length : value`, keys never holding a NUL):
 * equal signatures over one base give equal merged maps.
 */
export function signatureOf(checked: CheckedValues): string {
  let signature = "";
  for (let i = 0; i < checked.keys.length; i++) {
    const value = checked.values[i]!;
    signature += `${checked.keys[i]!}\u0000${value.length}:${value}`;
  }
  return signature;
}

/** The result of a validated merge: a new (unfrozen) map and its size. */
export interface Merged {
  readonly map: Record<string, string>;
  readonly size: Size;
}

/**
 * Checks every key and value of `values`, and the limits on `{...base, ...values}`, without
 * building anything, so a refusal leaves nothing changed. `base` is trusted (it was checked when
 * it was set, or comes from the runner).
 *
 * The limits are first checked against a bound (every key counted as new, no override
 * subtracted), which needs no look-up in the base; only a bound over a limit pays for the exact
 * merged size. A scope is a hot path and nearly always far under the limits.
 */
export function checkValues(base: StringMap | TaskContext, values: unknown): CheckedValues {
  return checkLimits(base, readValues(values));
}

/** The entries of a values object that passed every per-entry check (limits not yet applied). */
export interface ReadValues {
  readonly keys: readonly string[];
  readonly values: readonly string[];
  /** UTF-8 length of each value. */
  readonly valueBytes: readonly number[];
  /** UTF-8 length of all keys and values. */
  readonly bytes: number;
}

/** Reads and checks every key and value of `values` (see {@link checkValues}). */
export function readValues(values: unknown): ReadValues {
  if (
    values === null ||
    typeof values !== "object" ||
    (Object.getPrototypeOf(values) !== Object.prototype && Object.getPrototypeOf(values) !== null)
  ) {
    throw notPlainObject(values);
  }
  const keys = Object.keys(values);
  const symbols = Object.getOwnPropertySymbols(values);
  if (symbols.length > 0) checkKey(symbols[0]);
  const n = keys.length;
  // Each value is read once: a getter cannot hand one value to the check and another to the map.
  const read: string[] = new Array<string>(n);
  const valueBytes: number[] = new Array<number>(n);
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    checkKey(key);
    const value = (values as Record<string, unknown>)[key];
    if (typeof value !== "string") {
      throw new CustomContextError(
        "NON_STRING_VALUE",
        `custom context value of ${showKey(key)} must be a string, got ${value === null ? "null" : typeof value}`,
        { key },
      );
    }
    const length = utf8Length(value);
    if (length < 0) {
      throw new CustomContextError(
        "MALFORMED_VALUE",
        `custom context value of ${showKey(key)} is not well-formed Unicode (it holds a lone surrogate)`,
        { key },
      );
    }
    read[i] = value;
    valueBytes[i] = length;
    bytes += key.length + length;
  }
  return { keys, values: read, valueBytes, bytes };
}

/**
 * Whether `base` is a TaskContext — by its shape, not `instanceof`: a CommonJS task file run by the
 * ESM CLI has two copies of context-core loaded, and the TaskContext in force may be the other
 * copy's. (A map of strings has no function-valued property.)
 */
function isTaskContext(base: StringMap | TaskContext): base is TaskContext {
  return typeof (base as { withCustomContext?: unknown }).withCustomContext === "function";
}

/** Checks the limits on `{...base, ...read}` (see {@link checkValues}). */
export function checkLimits(base: StringMap | TaskContext, read: ReadValues): CheckedValues {
  const limits = customContextLimits();
  const task = isTaskContext(base) ? base : undefined;
  const baseSize = task === undefined ? sizeOf(base as StringMap) : sizeOfTask(task);
  const n = read.keys.length;
  if (baseSize.entries + n <= limits.maxEntries && baseSize.bytes + read.bytes <= limits.maxBytes) {
    return {
      keys: read.keys,
      values: read.values,
      size: { entries: baseSize.entries + n, bytes: baseSize.bytes + read.bytes, exact: false },
    };
  }
  return checkExact(base, task, read.keys, read.values, read.valueBytes, limits);
}

/** The exact merged size, and a refusal naming the key that took a total over its limit. */
function checkExact(
  base: StringMap | TaskContext,
  task: TaskContext | undefined,
  keys: readonly string[],
  read: readonly string[],
  valueBytes: readonly number[],
  limits: CustomContextLimits,
): CheckedValues {
  const { maxEntries, maxBytes } = limits;
  // Bounds are not enough here: measure the base exactly (built once, then remembered).
  const map = task === undefined ? (base as StringMap) : task.customContext;
  const baseSize = exactSizeOf(map);
  let entries = baseSize.entries;
  let bytes = baseSize.bytes;
  let entriesOverAt: string | undefined;
  let bytesOverAt: string | undefined;
  // Keys repeated within `values` cannot happen (object keys are unique), so the base decides.
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const entriesBefore = entries;
    const bytesBefore = bytes;
    const before = Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
    if (before !== undefined) {
      bytes += valueBytes[i]! - lenient(before);
    } else {
      entries++;
      bytes += key.length + valueBytes[i]!;
    }
    // The key that took a total over its limit is the one named; a later key that brings it
    // back under (an override with a shorter value) clears it.
    if (entries <= maxEntries) entriesOverAt = undefined;
    else if (entries > entriesBefore) entriesOverAt ??= key;
    if (bytes <= maxBytes) bytesOverAt = undefined;
    else if (bytes > bytesBefore) bytesOverAt ??= key;
  }
  if (entries > maxEntries) {
    throw new CustomContextError(
      "TOO_MANY_ENTRIES",
      entriesOverAt === undefined
        ? `the custom context would have ${entries} entries, over the limit of ${maxEntries}`
        : `custom context key ${showKey(entriesOverAt)} would make ${entries} entries, over the limit of ${maxEntries}`,
      entriesOverAt === undefined ? undefined : { key: entriesOverAt },
    );
  }
  if (bytes > maxBytes) {
    throw new CustomContextError(
      "TOO_LARGE",
      bytesOverAt === undefined
        ? `the custom context would be ${bytes} bytes (UTF-8 keys + values), over the limit of ${maxBytes}`
        : `custom context key ${showKey(bytesOverAt)} would make the map ${bytes} bytes (UTF-8 keys + values), over the limit of ${maxBytes}`,
      bytesOverAt === undefined ? undefined : { key: bytesOverAt },
    );
  }
  return { keys, values: read, size: { entries, bytes, exact: true } };
}

function notPlainObject(values: unknown): CustomContextError {
  const got =
    values === null
      ? "null"
      : Array.isArray(values)
        ? "an array"
        : typeof values !== "object"
          ? typeof values
          : ((values as object).constructor?.name ?? "an object");
  return new CustomContextError(
    "INVALID_VALUES",
    `custom context values must be a plain object of strings, got ${got}`,
  );
}

/** `{...base, ...checked}` as a new object (not frozen). */
export function buildMerged(base: StringMap, checked: CheckedValues): Merged {
  // Object.assign, not `{ ...base }`: V8 clones a spread's map, and adding keys to the clone
  // then costs microseconds; assign builds the object through cached transitions.
  const map: Record<string, string> = Object.assign({}, base);
  const { keys, values } = checked;
  for (let i = 0; i < keys.length; i++) map[keys[i]!] = values[i]!;
  return { map, size: checked.size };
}

/** `{...base, ...values}` after {@link checkValues}. */
export function validatedMerge(base: StringMap, values: unknown): Merged {
  return buildMerged(base, checkValues(base, values));
}
