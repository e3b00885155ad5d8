import { contextualRun } from "./contextualRun.js";

/**
 * Wraps `fn` so that every call runs in a context branch of its own (`contextualRun`), as if each
 * call were an asyncio Task. An async helper that enters `using` scopes becomes safe to call side
 * by side with plain `Promise.all`: no call sees another's scopes, and the caller sees none.
 * `this` and the arguments are passed through; the result is `fn`'s.
 *
 * @example
 * const tagged = contextual(async (k: string) => {
 *   using _ = customContext({ [k]: "set" });
 *   return child();
 * });
 * await Promise.all([tagged("A"), tagged("B")]);
 * @throws {TypeError} when `fn` is not a function.
 */
export function contextual<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  if (typeof fn !== "function") {
    throw new TypeError(`contextual() needs a function, got ${fn === null ? "null" : typeof fn}`);
  }
  return function (this: unknown, ...args: A): R {
    return contextualRun(() => fn.apply(this, args));
  };
}
