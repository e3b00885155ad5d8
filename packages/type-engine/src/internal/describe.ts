/** A short description of a value's kind for error messages (`a Map`, `NaN`, `an undefined`). */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : `the number ${value}`;
  if (typeof value === "bigint") return `the bigint ${value}n`;
  if (typeof value === "string") return "a string";
  if (typeof value === "boolean") return `${value}`;
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  if (Array.isArray(value)) return "an array";
  const ctor = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)
    ?.constructor;
  const name = ctor?.name;
  return name === undefined || name === "" || name === "Object" ? "an object" : `a ${name}`;
}

/**
 * Whether `value` is a plain object (`{}` literal, `Object.create(null)`): a record of its keys.
 * Any realm's `Object.prototype` counts (its own prototype is null): objects from a `vm` context
 * or `structuredClone` are plain too; class instances are not.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}
