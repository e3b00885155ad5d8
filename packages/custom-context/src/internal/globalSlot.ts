import type { ContextVar } from "@flyte/context-core";

/** What this package keeps per process: the driver-scope variable and the limits. */
export interface CustomContextSlot {
  driverScope: ContextVar<Readonly<Record<string, string>>> | undefined;
  limits: { maxEntries: number; maxBytes: number } | undefined;
}

// Versioned like context-core's slot: two installed copies of one major share one driver scope
// and one set of limits, so a runner from one copy reads scopes entered through the other.
const SLOT_KEY = Symbol.for("@flyte/custom-context/slot@1");

/** The process-wide slot, created on first use. */
export function globalSlot(): CustomContextSlot {
  const g = globalThis as unknown as Record<symbol, CustomContextSlot | undefined>;
  let slot = g[SLOT_KEY];
  if (slot === undefined) {
    slot = { driverScope: undefined, limits: undefined };
    Object.defineProperty(g, SLOT_KEY, { value: slot, enumerable: false, configurable: false });
  }
  return slot;
}
