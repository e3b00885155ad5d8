/** Identity numbers for option values that cannot be compared by content (functions, clients). */
const identities = new WeakMap<object, number>();
let nextIdentity = 0;

/**
 * A string equal for options that are equal by content, so `resolveStorage` can reuse an
 * instance. Plain objects and arrays compare by value with sorted keys; anything else
 * (a function, a credentials provider, a client) compares by identity.
 */
export function optionsKey(value: unknown): string {
  if (value === undefined) return "u";
  if (value === null || typeof value !== "object") {
    if (typeof value === "function") return `#${identity(value)}`;
    return typeof value === "bigint" ? `n${String(value)}` : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(optionsKey).join(",")}]`;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return `#${identity(value)}`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${optionsKey(v)}`).join(",")}}`;
}

function identity(value: object): number {
  let id = identities.get(value);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(value, id);
  }
  return id;
}
