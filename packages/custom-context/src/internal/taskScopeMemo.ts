import type { Context } from "@flyte/context-core";
import type { CustomContextLimits } from "../limits.js";
import { customContextLimits } from "../limits.js";

/** The last scope entered over one Context with a frozen values object. */
interface Entry {
  readonly values: object;
  readonly scoped: Context;
  /** The limits it was checked against: new limits apply to the next scope. */
  readonly limits: CustomContextLimits;
}

/**
 * One remembered scope per base Context (held weakly by it, so it goes when the task does): the
 * Context that entering a scope with a given frozen values object made over that base. A loop
 * that enters `using _ = customContext(TAGS)` with a frozen constant reuses it, which is safe
 * because Contexts are immutable and the values object cannot change; each entry still runs in a
 * branch (a frame) of its own.
 */
const entries = new WeakMap<Context, Entry>();

/** What {@link taskScopeMemo} offers. */
export interface TaskScopeMemo {
  /** The Context remembered for `values` over `base`, if it still holds. */
  get(base: Context, values: unknown): Context | undefined;
  /** Remembers `scoped` as what frozen `values` makes over `base`. */
  set(base: Context, values: object, scoped: Context): void;
}

/** The memo of frozen-values scopes. */
export const taskScopeMemo: TaskScopeMemo = {
  get(base, values) {
    const entry = entries.get(base);
    return entry !== undefined && entry.values === values && entry.limits === customContextLimits()
      ? entry.scoped
      : undefined;
  },
  set(base, values, scoped) {
    entries.set(base, { values, scoped, limits: customContextLimits() });
  },
};
