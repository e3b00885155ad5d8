/**
 * Type tests, checked by `tsc` (`pnpm --filter @flyte/context-core typecheck`), never run:
 * `typeOf(x).is<T>()` fails to compile unless the type of `x` is exactly `T`, and each
 * `@ts-expect-error` fails to compile when the line below it stops being an error.
 */
import { ContextVar, contextual, gather } from "@flyte/context-core";
import type { Token } from "@flyte/context-core";

type Equal<A, B> =
  (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

/** `typeOf(x).is<T>()`: compiles only when `x` has exactly type `T` (an `expectTypeOf` in small). */
function typeOf<A>(_value: A): { is<B>(...exact: Equal<A, B> extends true ? [] : [never]): void } {
  return { is: () => undefined };
}

// With a default, get() is T; without one, T | undefined (api.md).
const withDefault = new ContextVar<number>("n", { default: 0 });
typeOf(withDefault.get()).is<number>();
typeOf(new ContextVar("s", { default: "x" }).get()).is<string>();
const noDefault = new ContextVar<number>("m");
typeOf(noDefault.get()).is<number | undefined>();
typeOf(new ContextVar<number>("e", {}).get()).is<number | undefined>();
// @ts-expect-error: without a default the value may be undefined
export const mustCheck: number = noDefault.get();

// A variable with a default is still a ContextVar<T> where one is expected.
const asPlain: ContextVar<number> = withDefault;
typeOf(asPlain.get()).is<number | undefined>();
typeOf(withDefault.set(1)).is<Token<number>>();
// @ts-expect-error: the default must be a T
new ContextVar<number>("bad", { default: "zero" });
// @ts-expect-error: set takes a T
withDefault.set("one");

// gather types its result as the tuple of the branches' results.
export async function gathered(): Promise<void> {
  const pair = await gather([async () => 1, () => "x"] as const);
  typeOf(pair).is<[number, string]>();
  typeOf(await gather([1, 2].map((n) => async () => n))).is<number[]>();
}

// contextual keeps the wrapped function's signature.
typeOf(contextual(async (a: string, b: number) => a.length + b)).is<
  (a: string, b: number) => Promise<number>
>();
