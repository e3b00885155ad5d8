import { EMPTY_MAP, rememberSize, validatedMerge } from "./internal/validatedMerge.js";
import type { Merged } from "./internal/validatedMerge.js";

/**
 * Merges custom context layers, lowest precedence first (later layers win key by key), and
 * checks the result as a scope would: every key and value of every layer, then the limits on the
 * merged map. `undefined` layers are skipped. Returns a new frozen map; the layers are never
 * aliased or changed.
 *
 * The precedence for a run is `mergeCustomContext(runLevel, inherited, scoped)`; see
 * {@link resolveRunCustomContext}, which gathers the last two.
 *
 * @throws {CustomContextError} naming the first bad key, or the key that broke a limit.
 */
export function mergeCustomContext(
  ...layers: ReadonlyArray<Readonly<Record<string, string>> | undefined>
): Readonly<Record<string, string>> {
  let merged: Merged | undefined;
  for (const layer of layers) {
    if (layer === undefined) continue;
    merged = validatedMerge(merged?.map ?? EMPTY_MAP, layer);
  }
  if (merged === undefined) return EMPTY_MAP;
  const frozen = Object.freeze(merged.map);
  rememberSize(frozen, merged.size);
  return frozen;
}
