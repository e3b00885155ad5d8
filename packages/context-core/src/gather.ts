import { contextualRun } from "./contextualRun.js";

/** The results of {@link gather}'s branches, in order, as `Promise.all` types them. */
export type GatherResults<T extends readonly (() => unknown)[]> = {
  -readonly [K in keyof T]: Awaited<ReturnType<T[K]>>;
};

/**
 * Runs each function in a context branch of its own, all at once, and waits for all of them —
 * Python's `asyncio.gather`, where every awaitable becomes a Task with a copy of the context.
 * Use it instead of `Promise.all` when the branches enter `using` scopes or `set()` variables:
 * a scope one branch enters before its first `await` is never seen by another, nor by the caller.
 *
 * Takes functions, not promises, because the branch must exist before the function starts. Every
 * branch is started even if one throws synchronously (that becomes its rejection); the result
 * rejects as `Promise.all` does, with the first rejection.
 *
 * @example
 * const [a, b] = await gather([() => helper("A"), () => helper("B")]);
 * @throws {TypeError} when an element is not a function (naming its index), before any starts.
 */
export function gather<const T extends readonly (() => unknown)[] | []>(
  branches: T,
): Promise<GatherResults<T>>;
export function gather<R>(branches: Iterable<() => R>): Promise<Awaited<R>[]>;
export function gather(branches: Iterable<() => unknown>): Promise<unknown[]> {
  const fns = Array.from(branches);
  fns.forEach((fn, i) => {
    if (typeof fn !== "function") {
      throw new TypeError(
        `gather() needs functions; branch ${i} is ${fn === null ? "null" : typeof fn}`,
      );
    }
  });
  return Promise.all(fns.map(startBranch));
}

function startBranch(fn: () => unknown): unknown {
  try {
    return contextualRun(fn);
  } catch (error) {
    return Promise.reject(error);
  }
}
