/**
 * `@flyte/context-core`, for the raw data path of `File` and `Dir` uploads, reached
 * through {@link loadContextCoreAsync}. In the sources (jest, tsx) it is imported eagerly, as
 * here. The build swaps this module for a loader (tsup.config.ts, plugin `lazy-modules`):
 * `import()` in the ESM build, `require` in the CJS build, so each format reads the context its
 * user's copy writes. Importing `@flyte/type-engine` alone then does not load it.
 */
import * as contextCore from "@flyte/context-core";

/** `@flyte/context-core`. */
export type ContextCoreModule = typeof contextCore;

/** `@flyte/context-core`, loaded on first call in the built package. */
export async function loadContextCoreAsync(): Promise<ContextCoreModule> {
  return contextCore;
}
