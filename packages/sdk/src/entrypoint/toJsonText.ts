/**
 * A task's result as JSON text, strictly: what JSON can hold, or a reason why not. `undefined`
 * (a task without a result) is `null`; a `bigint` is written as the integer it is (JSON numbers
 * have no size limit, only JavaScript's parser does); a Date as its ISO text; objects with a
 * `toJSON` (File, Dir, Duration) as what it returns. NaN, infinities, functions, symbols, Maps,
 * Sets, class instances and `undefined` inside an array are refused — `JSON.stringify` would print
 * them as `null` or `{}`, a wrong result that looks right.
 */
export type JsonText =
  { readonly ok: true; readonly json: string } | { readonly ok: false; readonly reason: string };

/** Serializes `value`, or says why it cannot be JSON. */
export function toJsonText(value: unknown): JsonText {
  try {
    return { ok: true, json: write(value === undefined ? null : value, "result", new Set()) };
  } catch (error) {
    if (error instanceof NotJson) return { ok: false, reason: error.message };
    throw error;
  }
}

class NotJson extends Error {}

function write(value: unknown, path: string, seen: Set<object>): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value))
        throw new NotJson(`${path} is ${String(value)}, which JSON cannot hold`);
      return JSON.stringify(value);
    case "bigint":
      return value.toString();
    case "undefined":
      throw new NotJson(`${path} is undefined, which JSON cannot hold`);
    case "function":
    case "symbol":
      throw new NotJson(`${path} is a ${typeof value}, which JSON cannot hold`);
  }
  if (value === null) return "null";
  const obj = value as object;
  if (seen.has(obj)) throw new NotJson(`${path} refers back to itself (a cycle)`);
  seen.add(obj);
  try {
    if (obj instanceof Date) {
      if (Number.isNaN(obj.getTime())) throw new NotJson(`${path} is an invalid Date`);
      return JSON.stringify(obj.toISOString());
    }
    if (Array.isArray(obj)) {
      const parts: string[] = [];
      for (let i = 0; i < obj.length; i++) {
        if (!(i in obj) || obj[i] === undefined)
          throw new NotJson(`${path}[${i}] is undefined, which JSON cannot hold`);
        parts.push(write(obj[i], `${path}[${i}]`, seen));
      }
      return `[${parts.join(",")}]`;
    }
    if (ArrayBuffer.isView(obj))
      throw new NotJson(`${path} is binary data (${obj.constructor.name}), which JSON cannot hold`);
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return write((toJSON as () => unknown).call(obj), path, seen);
    const proto = Object.getPrototypeOf(obj) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      const kind = (obj as { constructor?: { name?: string } }).constructor?.name ?? "an object";
      throw new NotJson(`${path} is a ${kind}, which JSON cannot hold`);
    }
    const parts: string[] = [];
    for (const key of Object.keys(obj)) {
      const v = (obj as Record<string, unknown>)[key];
      if (v === undefined) continue; // a missing key, as JSON.stringify writes it
      parts.push(`${JSON.stringify(key)}:${write(v, `${path}.${key}`, seen)}`);
    }
    return `{${parts.join(",")}}`;
  } finally {
    seen.delete(obj);
  }
}
