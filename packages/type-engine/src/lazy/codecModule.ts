/**
 * The descriptor-backed codec, reached through {@link loadCodec}. In the TypeScript sources (jest,
 * tsx) it is imported eagerly, as here. The build swaps this module for a loader that requires
 * `dist/codec.{js,cjs}` on the first call (tsup.config.ts, plugin `lazy-modules`): decoding the
 * flyteidl2 descriptors costs tens of milliseconds, paid on the first wire operation rather than
 * by every `import "@flyte/type-engine"`.
 */
import type { Codec } from "../wire/codec.js";
import { codec } from "../wire/codec.js";

/** The codec (loaded on first call in the built package). */
export function loadCodec(): Codec {
  return codec;
}
