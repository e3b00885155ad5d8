import { dirname } from "node:path";
import type { Plugin } from "esbuild";

/**
 * One `src/lazy/*.ts` module the build replaces with a loader. The module exports two functions:
 * `<fn>()` (blocking) and `<fn>Async()`, both returning the target's namespace.
 */
export interface LazyModule {
  /** The source file, matched by its path's ending (e.g. `/src/lazy/engineModule.ts`). */
  readonly file: string;
  /** The loader function the module exports (e.g. `loadEngine`). */
  readonly fn: string;
  /**
   * ESM build: what the loader loads, an emitted file relative to the output (e.g. `./engine.js`)
   * or a package.
   */
  readonly esm: string;
  /**
   * CJS build: what the loader loads, an emitted file relative to the output (e.g.
   * `./engine.cjs`) or a package.
   */
  readonly cjs: string;
}

/**
 * Swaps each `src/lazy/*.ts` module, which imports its target eagerly in the sources (jest, tsx),
 * for a loader that loads the target on the first call. Importing the package then neither
 * runs the target nor loads the Node built-ins it imports (and, in ESM, does not even parse
 * it) until a call needs it: the cold `import("@flyte/sdk")` stays light.
 *
 * A target of our own is a file of its own in both formats, built apart from the entry that loads
 * it; the modules whose identity matters (error classes) it takes from that entry (see
 * `fromEntry.ts`), so there is one copy of each either way. A target may also be a package
 * (a dependency or a sibling), loaded by name.
 *
 * - ESM: the async loader (`<fn>Async`) is a literal `import()` of the emitted file, which a
 *   bundler follows (an esbuild or webpack bundle of the user's code carries the target inside
 *   it); the blocking loader (`<fn>`) returns what the async one loaded, or else requires the
 *   emitted file through `require(esm)` (Node 20.19+, 22.12+).
 * - CJS: both loaders are a plain `require` of the emitted file, which bundlers follow too.
 *
 * The format is given, not read from esbuild: with code splitting, tsup builds CJS as ESM.
 */
export function lazyModules(
  format: "esm" | "cjs",
  modules: readonly LazyModule[],
  /**
   * What the ESM blocking loader's error tells the user to do when the target is not found (as
   * in a bundle). By default: make an async call first, or keep the package external.
   */
  hint?: string,
): Plugin {
  return {
    name: "lazy-modules",
    setup(build) {
      for (const m of modules) {
        const escaped = m.file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\//g, "[\\\\/]");
        // The loader names the emitted file, which exists only in the output: it stays as
        // written, resolved at run time (or by the user's bundler).
        const emitted = format === "esm" ? m.esm : m.cjs;
        const target = emitted.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        build.onResolve({ filter: new RegExp(`^${target}$`) }, (args) =>
          new RegExp(`${escaped}$`).test(args.importer)
            ? { path: emitted, external: true }
            : undefined,
        );
        build.onLoad({ filter: new RegExp(`${escaped}$`) }, (args) => ({
          contents:
            format === "esm"
              ? `import { createRequire } from "node:module";
let loaded;
export async function ${m.fn}Async() {
  return (loaded ??= await import(${JSON.stringify(m.esm)}));
}
export function ${m.fn}() {
  if (loaded) return loaded;
  try {
    return (loaded = createRequire(import.meta.url)(${JSON.stringify(m.esm)}));
  } catch (error) {
    if (error?.code !== "MODULE_NOT_FOUND") throw error;
    throw new Error(
      ${JSON.stringify(`${m.esm} (loaded on first use) was not found from this module, as in a bundle: ${hint ?? `make an async call first (it loads ${m.esm} through import(), which bundlers follow), or keep the package external to the bundle`}`)},
      { cause: error },
    );
  }
}
`
              : `export function ${m.fn}() {
  return require(${JSON.stringify(m.cjs)});
}
export async function ${m.fn}Async() {
  return ${m.fn}();
}
`,
          resolveDir: dirname(args.path),
          loader: "js",
        }));
      }
    },
  };
}
