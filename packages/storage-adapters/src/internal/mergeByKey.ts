import type { ListEntry } from "../Storage.js";

/**
 * Object stores answer a delimited listing with objects and common prefixes in two separate
 * sorted lists; `list` promises one, in key order. Merges them.
 */
export function* mergeByKey(objects: ListEntry[], prefixes: ListEntry[]): Iterable<ListEntry> {
  const keyOf = (e: ListEntry): string => ("prefix" in e ? e.prefix : e.key);
  let i = 0;
  let j = 0;
  while (i < objects.length || j < prefixes.length) {
    const a = objects[i];
    const b = prefixes[j];
    if (b === undefined || (a !== undefined && keyOf(a) < keyOf(b))) {
      yield a as ListEntry;
      i++;
    } else {
      yield b;
      j++;
    }
  }
}
