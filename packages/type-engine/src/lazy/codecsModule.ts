/**
 * The value codecs (`../codecs.ts`), reached through {@link loadCodecs}. In the TypeScript sources
 * (jest, tsx) they are imported eagerly, as here. The build swaps this module for a loader that
 * requires `dist/codecs.{js,cjs}` on the first call (tsup.config.ts, plugin `lazy-modules`).
 * That file imports the classes whose identity matters (the errors, `File`, `Dir`, `Duration`)
 * from the package's own entry, so `instanceof` holds across the two (plugin `from-entry`).
 */
import * as codecs from "../codecs.js";

/** The codecs module's namespace. */
export type CodecsModule = typeof codecs;

/** The codecs (loaded on first call in the built package). */
export function loadCodecs(): CodecsModule {
  return codecs;
}
