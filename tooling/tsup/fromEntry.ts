import type { Plugin } from "esbuild";

/**
 * Makes a lazily loaded entry (built on its own, without code splitting) take the modules whose
 * source path matches `shared` from the package's main entry at run time, instead of bundling a
 * copy of them: every import of such a module becomes an import of `entry.esm` (ESM build) or
 * `entry.cjs` (CJS build), kept as written.
 *
 * Why: a copy of a module is a second instance of its classes, and `instanceof` fails across
 * the two (an error thrown by the lazy file, a `File` the user built from the main entry). Code
 * splitting would share them too, through a chunk, but that chunk is one more file for every
 * import of the package. The lazy file is loaded after the main entry (by it, on first use), so
 * the main entry is already evaluated when the lazy file imports it: no cycle at load.
 *
 * Every name the lazy file imports from a shared module must be exported by the main entry
 * under the same name (an ESM link error otherwise); `tooling/scripts/check-dist.mjs` loads the
 * lazy files of the built packages to prove it.
 */
export function fromEntry(shared: RegExp, entry: { esm: string; cjs: string }): Plugin {
  return {
    name: "from-entry",
    setup(build) {
      const target = build.initialOptions.format === "cjs" ? entry.cjs : entry.esm;
      build.onResolve({ filter: /^\.{1,2}\// }, async (args) => {
        if (args.pluginData === "from-entry") return undefined;
        // Resolve as esbuild would (the sources import `./x.js` for `./x.ts`), then decide.
        const r = await build.resolve(args.path, {
          importer: args.importer,
          resolveDir: args.resolveDir,
          kind: args.kind,
          pluginData: "from-entry",
        });
        if (r.errors.length > 0 || !shared.test(r.path)) return undefined;
        return { path: target, external: true };
      });
    },
  };
}
