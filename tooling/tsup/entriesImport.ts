import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Plugin } from "esbuild";

/**
 * Makes the entries whose source path matches `entries` also import every local module that
 * `target` (the package's main entry, relative to the package) imports, in the build only, as
 * their users do at run time when they import the package.
 *
 * Why: code splitting groups modules by the set of entries that reach them. When a package's
 * secondary entries (its subpaths, its CLIs) each reach a different part of the main entry, the
 * main entry's modules fall into one chunk per mix of entries, and importing the package loads
 * them all: ESM pays about 1 ms per module file on the 2-core VM (Node 24). When those entries
 * reach all of them, they fall into one or two chunks. An entry that must stay light (a
 * `--help`) is simply not matched.
 *
 * The target's own local imports, not the target: a target imported by another entry would stop
 * being an entry module of its own, and esbuild would drop its `export * from "<package>"`
 * re-exports, which a chunk cannot carry.
 */
export function entriesImport(entries: RegExp, target: string): Plugin {
  const file = resolve(target);
  const imports = [...readFileSync(file, "utf8").matchAll(/(?:from|import)\s+"(\.{1,2}\/[^"]+)"/g)]
    .map((m) => resolve(dirname(file), m[1]!))
    // The sources import `./x.js` for `./x.ts` (NodeNext); esbuild is given the file itself.
    .map((p) => (existsSync(p) ? p : p.replace(/\.js$/, ".ts")))
    .filter((p, i, all) => all.indexOf(p) === i);
  return {
    name: "entries-import",
    setup(build) {
      build.onLoad({ filter: entries }, async (args) => ({
        // Import declarations are hoisted: where they stand in the file changes nothing.
        contents: `${await readFile(args.path, "utf8")}\n${imports.map((p) => `import ${JSON.stringify(p)};`).join("\n")}\n`,
        loader: "ts",
      }));
    },
  };
}
