import { dirname } from "node:path";
import type { Plugin } from "esbuild";

/** One `src/lazy/*.ts` module the build replaces with a loader. */
export interface LazyModule {
  /** The source file, matched by its path's ending (e.g. `/src/lazy/engineModule.ts`). */
  readonly file: string;
  /** The loader function the module exports (e.g. `loadEngine`). */
  readonly fn: string;
  /** ESM build: the emitted file the loader requires, relative to the output (e.g. `./engine.js`). */
  readonly esm: string;
  /** CJS build: the source module, relative to `file`, bundled behind the loader (e.g. `../engine.js`). */
  readonly cjs: string;
}

/**
 * Swaps each `src/lazy/*.ts` module, which imports its target eagerly in the sources (jest, tsx),
 * for a loader that loads the target on the first call. Importing the package then neither
 * runs the target nor loads the Node built-ins it imports (and, in ESM, does not even parse
 * it) until a call needs it: the cold `import("@flyte/sdk")` stays light.
 *
 * - ESM (built with code splitting, the target an entry of its own): the loader requires the
 *   emitted file through `require(esm)` (Node 20.19+, 22.12+), which shares module instances
 *   (and so error classes) with the chunks `import` already loaded.
 * - CJS (one file, no splitting): the loader is a plain `require` of the source, which esbuild
 *   bundles into the same file as a module initialized on the first call. One copy of every
 *   module either way.
 *
 * The format is given, not read from esbuild: with code splitting, tsup builds CJS as ESM.
 */
export function lazyModules(format: "esm" | "cjs", modules: readonly LazyModule[]): Plugin {
  return {
    name: "lazy-modules",
    setup(build) {
      for (const m of modules) {
        const escaped = m.file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\//g, "[\\\\/]");
        build.onLoad({ filter: new RegExp(`${escaped}$`) }, (args) => ({
          contents:
            format === "esm"
              ? `import { createRequire } from "node:module";
let loaded;
export function ${m.fn}() {
  return (loaded ??= createRequire(import.meta.url)(${JSON.stringify(m.esm)}));
}
`
              : `export function ${m.fn}() {
  return require(${JSON.stringify(m.cjs)});
}
`,
          resolveDir: dirname(args.path),
          loader: "js",
        }));
      }
    },
  };
}
