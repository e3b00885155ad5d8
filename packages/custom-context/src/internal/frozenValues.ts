import { readValues } from "./validatedMerge.js";
import type { ReadValues } from "./validatedMerge.js";

/** Frozen values objects already read and checked, with what they held. */
const checked = new WeakMap<object, ReadValues>();

/**
 * The checked entries of `values` when it is a frozen object of plain data properties, read and
 * checked once for the life of the object (it cannot change: frozen, and it has no getter that
 * could hand out another value); `undefined` for anything else, which the caller checks on every
 * use. Throws as {@link readValues} does for bad input.
 */
export function frozenValuesOf(values: unknown): ReadValues | undefined {
  if (values === null || typeof values !== "object") return undefined;
  const known = checked.get(values);
  if (known !== undefined) return known;
  if (!Object.isFrozen(values)) return undefined;
  // Looked at before any value is read, so an object with a getter is read once, by the caller.
  for (const key of Object.keys(values)) {
    if (!("value" in Object.getOwnPropertyDescriptor(values, key)!)) return undefined;
  }
  const read = readValues(values);
  checked.set(values, read);
  return read;
}
