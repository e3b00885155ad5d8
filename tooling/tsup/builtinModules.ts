import { createRequire, builtinModules as nodeBuiltins } from "node:module";
import { relative } from "node:path";
import type { Plugin } from "esbuild";

const require = createRequire(import.meta.url);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Turns every import of a Node built-in (`import { readFileSync } from "node:fs"`) into a lookup
 * through `process.getBuiltinModule` (Node 20.16+, 22.3+), in a small module the bundle carries.
 *
 * Why: an ESM `import` of a built-in makes Node build the built-in's ESM facade, which reads
 * every one of its exports once. For `fs` that read of `fs.promises` loads `fs/promises`,
 * streams and readline (6 ms on Node 24 on the 2-core VM); for `util` its lazy members (4.8 ms).
 * `process.getBuiltinModule` returns the CommonJS object, as `require` does, for ~0.02 ms. A
 * lookup happens only for the names a module imports: each export is a `@__PURE__` read, which
 * esbuild drops when nothing imports it, so `fs.promises` is read only by code that uses it.
 *
 * The module keeps ESM's order: esbuild evaluates it before its importers, as it would the
 * built-in. ESM output only.
 */
export function builtinModules(): Plugin {
  const names = new Set(nodeBuiltins.flatMap((m) => [m, `node:${m}`]));
  return {
    name: "builtin-modules",
    setup(build) {
      // CommonJS `require` of a built-in builds no facade: nothing to gain there. (A config
      // whose CJS build uses code splitting reports "esm" here: leave the plugin out of it.)
      if (build.initialOptions.format === "cjs") return;
      build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) =>
        names.has(args.path) && args.kind === "import-statement"
          ? // One shim per importing file, so that each lands in its importer's chunk: a shim
            // shared by entries would otherwise become a chunk of its own, one more file to load.
            // (The importer is named relative to the package: dist's comments show the path.)
            {
              path: `${args.path.replace(/^node:/, "")}?${relative(process.cwd(), args.importer)}`,
              namespace: "node-builtin",
            }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: "node-builtin" }, (args) => {
        const id = args.path.slice(0, args.path.indexOf("?"));
        // The names are read from the built-in of the Node running the build; every name our
        // sources import exists on every supported version (the typecheck says so).
        // `$` ends no built-in's export names, so the module's own two names can't collide.
        const exported = Object.keys(require(`node:${id}`) as object).filter(
          (k) => IDENTIFIER.test(k) && k !== "default" && !k.endsWith("$"),
        );
        return {
          contents: [
            `const builtin$ = process.getBuiltinModule(${JSON.stringify(`node:${id}`)});`,
            `const read$ = (k) => builtin$[k];`,
            `export default builtin$;`,
            ...exported.map(
              (k) => `export const ${k} = /* @__PURE__ */ read$(${JSON.stringify(k)});`,
            ),
          ].join("\n"),
          loader: "js",
        };
      });
    },
  };
}
