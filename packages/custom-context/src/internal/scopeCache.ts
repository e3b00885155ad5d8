/**
 * What a scope entry builds (a Context with a new TaskContext, or a frozen driver map), kept per
 * base object and keyed by the checked values' signature, so entering the same scope over the
 * same base again reuses the immutable result instead of copying maps. Safe because everything
 * kept is immutable and a hit happens only after the values passed every check again.
 *
 * Bounded: at most {@link MAX_PER_BASE} results per base (the whole set is dropped when full), and
 * held weakly by the base, so a finished task's cache goes with it.
 */
const caches = new WeakMap<object, Map<string, object>>();
const MAX_PER_BASE = 32;

/** The result built earlier over `base` for `signature`, if any. */
export function cachedScope<T extends object>(base: object, signature: string): T | undefined {
  return caches.get(base)?.get(signature) as T | undefined;
}

/** Keeps `result` as what `signature` builds over `base`. */
export function rememberScope(base: object, signature: string, result: object): void {
  let cache = caches.get(base);
  if (cache === undefined) {
    cache = new Map();
    caches.set(base, cache);
  } else if (cache.size >= MAX_PER_BASE) {
    cache.clear();
  }
  cache.set(signature, result);
}
