/**
 * How a value is laid out inside msgpack: compiled once per declared object type from its JSON
 * Schema (see `../schema/planOfJsonSchema.ts`), or {@link ANY} for the untyped rule. The packer
 * and unpacker follow it, so a field typed `number` is float64 even when whole, an `int64` field
 * reads back as bigint, a date-time field is an ISO string on the wire and a `Date` in
 * JavaScript, and so on.
 */
export type Plan =
  | { readonly k: "any" }
  | { readonly k: "int"; readonly bigint: boolean }
  | { readonly k: "float" }
  | { readonly k: "string" }
  | { readonly k: "bool" }
  | { readonly k: "null" }
  /** `Date` <-> ISO 8601 string (what pydantic and mashumaro write for a datetime). */
  | { readonly k: "datetime" }
  /** `Duration` <-> float seconds (what mashumaro writes for a timedelta). */
  | { readonly k: "duration" }
  /** `Uint8Array` <-> msgpack bin. */
  | { readonly k: "bytes" }
  /** `File` / `Dir` <-> flyte.io's `{path, name, format, hash}`. */
  | { readonly k: "file" }
  | { readonly k: "dir" }
  | {
      readonly k: "array";
      readonly items: Plan;
      /** Tuple positions (`prefixItems`), before `items`. */
      readonly prefix: readonly Plan[];
    }
  | {
      readonly k: "object";
      readonly props: ReadonlyMap<string, Plan>;
      /** Keys not in `props` (`additionalProperties`); ANY when the schema allows anything. */
      readonly extra: Plan;
    }
  /** The first option whose shape accepts the value is used (`anyOf` / `oneOf`). */
  | { readonly k: "union"; readonly options: readonly Plan[] }
  /** A `$ref` resolved on first use (recursive schemas). */
  | { readonly k: "ref"; readonly resolve: () => Plan };

/** The untyped rule. */
export const ANY: Plan = { k: "any" };

/** Follows `ref` plans to the plan they name. */
export function deref(plan: Plan): Plan {
  let p = plan;
  while (p.k === "ref") p = p.resolve();
  return p;
}

const convertsCache = new WeakMap<Plan, boolean>();

/**
 * Whether unpacking under `plan` may change a decoded value beyond turning 64-bit ints back
 * into numbers (a Date, a Duration, a File, an int64 bigint, a float from an int): when it
 * cannot, and the bytes hold no 64-bit int, the library's output is the value as it stands.
 */
export function planConverts(plan: Plan, seen = new Set<Plan>()): boolean {
  const known = convertsCache.get(plan);
  if (known !== undefined) return known;
  if (seen.has(plan)) return false;
  seen.add(plan);
  let r: boolean;
  switch (plan.k) {
    case "any":
    case "string":
    case "bool":
    case "null":
    case "bytes":
      r = false;
      break;
    case "int":
      r = plan.bigint;
      break;
    case "float":
      // A Python int in a float field reads back as a number either way; only a 64-bit one differs.
      r = false;
      break;
    case "datetime":
    case "duration":
    case "file":
    case "dir":
      r = true;
      break;
    case "array":
      r = planConverts(plan.items, seen) || plan.prefix.some((p) => planConverts(p, seen));
      break;
    case "object":
      r =
        planConverts(plan.extra, seen) ||
        [...plan.props.values()].some((p) => planConverts(p, seen));
      break;
    case "union":
      r = plan.options.some((p) => planConverts(p, seen));
      break;
    case "ref":
      r = planConverts(deref(plan), seen);
      break;
  }
  convertsCache.set(plan, r);
  return r;
}
