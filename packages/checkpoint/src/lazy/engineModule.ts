/**
 * The checkpoint engine (`../engine.ts`), reached through {@link loadEngine}. In the TypeScript
 * sources (jest, tsx) it is imported eagerly, as here. The build swaps this module for a loader
 * that loads the engine on the first call (tsup.config.ts, plugin `lazy-modules`): the engine is
 * loaded on first use, which keeps `import("@flyte/sdk")` light.
 */
import * as engine from "../engine.js";

/** The engine module's namespace. */
export type EngineModule = typeof engine;

/**
 * The engine, for the blocking calls (loaded on first call in the built package; in a bundle of
 * the ESM build, only after {@link loadEngineAsync} has run once).
 */
export function loadEngine(): EngineModule {
  return engine;
}

/**
 * The engine, for the async calls: in the built ESM package a literal `import()`, which bundlers
 * follow, so a bundled task's saves and loads find the engine inside the bundle.
 */
export async function loadEngineAsync(): Promise<EngineModule> {
  return engine;
}
