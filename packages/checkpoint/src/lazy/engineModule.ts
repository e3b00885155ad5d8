/**
 * The checkpoint engine (`../engine.ts`), reached through {@link loadEngine}. In the TypeScript
 * sources (jest, tsx) it is imported eagerly, as here. The build swaps this module for a loader
 * that requires `dist/engine.{js,cjs}` on the first call (tsup.config.ts, plugin
 * `lazy-modules`): the engine is loaded on first use, which keeps `import("@flyte/sdk")` light.
 */
import * as engine from "../engine.js";

/** The engine module's namespace. */
export type EngineModule = typeof engine;

/** The engine (loaded on first call in the built package). */
export function loadEngine(): EngineModule {
  return engine;
}
