/**
 * The descriptors (`../proto.ts`, the `@flyte/type-engine/proto` entry), reached through
 * {@link loadProto}. In the TypeScript sources (jest, tsx) they are imported eagerly, as here.
 * The build swaps this module for a loader that requires `dist/proto.{js,cjs}` on the first call
 * (tsup.config.ts, plugin `lazy-modules`): decoding the flyteidl2 descriptors costs tens of
 * milliseconds, paid on the first wire operation rather than by every `import "@flyte/type-engine"`.
 */
import * as proto from "../proto.js";

/** The `@flyte/type-engine/proto` module. */
export type ProtoModule = typeof proto;

/** The descriptors (loaded on first call in the built package). */
export function loadProto(): ProtoModule {
  return proto;
}
