/**
 * `@msgpack/msgpack`, reached through {@link loadMsgpack}. In the TypeScript sources (jest, tsx)
 * it is imported eagerly, as here. The build swaps this module for a loader that requires the
 * library on the first call (tsup.config.ts, plugin `lazy-modules`), so importing
 * `@flyte/type-engine` parses no msgpack code until a value needs it.
 */
import * as msgpack from "@msgpack/msgpack";

/** The library's module namespace. */
export type MsgpackModule = typeof msgpack;

/** The library (loaded on first call in the built package). */
export function loadMsgpack(): MsgpackModule {
  return msgpack;
}
