// Loads every built entry of every public package twice, with `import` and with `require`, from
// inside the package (self-reference by name), without the @flyte/source condition: what a user
// gets from the published package. Checks that both builds export the same names, that the
// storage root entry loads no cloud SDK, that importing @flyte/sdk loads none of the built-ins
// its heavy internals use, that the files entries load on first use link to their entry, and
// that `import("@flyte/sdk")` and `require("@flyte/sdk")` read no more than their budget of files
// and bytes.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { loadedFiles, nodeWithRegisterHooks } from "./loaded-files.mjs";
import { NODE_VERSIONS, nodeBinDir } from "./node-versions.mjs";

/**
 * What loading the sdk may read, in module files of ours and their bytes: the deterministic
 * part of its load time (every file costs ~0.5 ms to resolve, every 100 KB ~3 ms to compile on
 * the 2-core VM), which no machine state moves. A change that makes the import read more (a
 * lazily loaded module made eager, a chunk split off) fails here; raise a budget only on
 * purpose, with the new figures in BENCHMARKS.md.
 */
const LOAD_BUDGET = {
  import: { files: 7, bytes: 325_000 },
  require: { files: 6, bytes: 335_000 },
};

const root = join(import.meta.dirname, "..", "..");
let failed = false;
for (const dir of readdirSync(join(root, "packages")).sort()) {
  const pkgDir = join(root, "packages", dir);
  const pkgFile = join(pkgDir, "package.json");
  if (!existsSync(pkgFile)) continue;
  const pkg = JSON.parse(readFileSync(pkgFile, "utf8"));
  if (pkg.private) continue;
  const subpaths = Object.keys(pkg.exports ?? {}).filter((k) => k !== "./package.json");
  const specs = subpaths.map((s) => (s === "." ? pkg.name : `${pkg.name}/${s.slice(2)}`));
  const esm = specs
    .map(
      (s) =>
        `{ const m = await import(${JSON.stringify(s)}); if (!Object.keys(m).length) throw new Error("no exports: ${s}"); }`,
    )
    .join("\n");
  // Both builds export the same names: a build step that drops re-exports (esbuild drops
  // `export * from "<package>"` from a module that is not an entry) shows here.
  const sameNames = specs
    .map(
      (s) =>
        `{ const e = Object.keys(await import(${JSON.stringify(s)})).filter((k) => k !== "default" && k !== "module.exports").sort().join();` +
        ` const c = Object.keys(require(${JSON.stringify(s)})).sort().join();` +
        ` if (e !== c) throw new Error("${s}: import and require export different names:\\n  import:  " + e + "\\n  require: " + c); }`,
    )
    .join("\n");
  const cjs = specs
    .map(
      (s) =>
        `{ const m = require(${JSON.stringify(s)}); if (!Object.keys(m).length) throw new Error("no exports: ${s}"); }`,
    )
    .join("\n");
  const cloudCheck =
    pkg.name === "@flyte/storage-adapters"
      ? `require(${JSON.stringify(pkg.name)}); const leaked = Object.keys(require.cache).filter((k) => /@aws-sdk|@azure/.test(k)); if (leaked.length) throw new Error("root entry loaded a cloud SDK: " + leaked[0]);`
      : "";
  // The facade's cold import stays light: the heavy internals load on first use (the checkpoint
  // engine, the sync bridge's worker, process isolation), and with them these built-ins.
  // (`node -e` in CommonJS loads node:crypto itself: only the ESM check covers it.)
  const lightCheck = (builtins) =>
    pkg.name === "@flyte/sdk"
      ? `const heavy = process.moduleLoadList.filter((m) => /^NativeModule (${builtins})$/.test(m)); if (heavy.length) throw new Error("importing @flyte/sdk loaded " + heavy.join(", "));`
      : "";
  // The files an entry loads on first use (`createRequire(...)("./x.js")` or `require("./x.cjs")`,
  // the lazy-module loaders) link. An ESM import names only what its target exports (a link
  // error otherwise); a CJS file's reads of a local file it requires (`index_1.<name>`) are not
  // checked by Node, so every name any dist/*.cjs reads that way must be exported there.
  const dist = join(pkgDir, "dist");
  const lazyFiles = readdirSync(dist)
    .filter((f) => /\.c?js$/.test(f))
    .flatMap((f) => [
      ...readFileSync(join(dist, f), "utf8").matchAll(
        /(?:createRequire\d*\)?\([^)]*\)|\brequire)\(["'](\.\/[^"']+\.c?js)["']\)/g,
      ),
    ])
    .map((m) => m[1])
    .filter((f, i, all) => all.indexOf(f) === i && existsSync(join(dist, f)));
  const lazyCheck = (ext) =>
    lazyFiles
      .filter((f) => f.endsWith(ext))
      .map((f) =>
        ext === ".js"
          ? `await import(${JSON.stringify(join(dist, f))});`
          : `require(${JSON.stringify(join(dist, f))});`,
      )
      .join("\n");
  const cjsNames = `{
    const { readFileSync, readdirSync } = require("node:fs");
    const dist = ${JSON.stringify(dist)};
    for (const f of readdirSync(dist).filter((f) => f.endsWith(".cjs"))) {
      const src = readFileSync(dist + "/" + f, "utf8");
      for (const [, v, dep] of src.matchAll(/var (\\w+) = (?:__toESM\\()?require\\(["'](\\.\\/[^"']+\\.cjs)["']\\)/g)) {
        const e = require(dist + "/" + dep);
        for (const [, n] of src.matchAll(new RegExp("\\\\b" + v + "\\\\.(\\\\w+)", "g")))
          if (!(n in e)) throw new Error(f + " reads " + n + ", which " + dep + " does not export");
      }
    }
  }`;
  if (lazyFiles.length)
    console.log(`check-dist: ${pkg.name} loads on first use: ${lazyFiles.join(", ")}`);
  for (const [kind, args] of [
    [
      "import",
      [
        "--input-type=module",
        "-e",
        esm +
          "\n" +
          lightCheck("zlib|worker_threads|child_process|crypto") +
          "\n" +
          lazyCheck(".js"),
      ],
    ],
    [
      "import and require",
      [
        "--input-type=module",
        "-e",
        `const require = (await import("node:module")).createRequire(process.cwd() + "/");\n${sameNames}`,
      ],
    ],
    [
      "require",
      [
        "--input-type=commonjs",
        "-e",
        cloudCheck +
          "\n" +
          cjs +
          "\n" +
          lightCheck("zlib|worker_threads|child_process") +
          "\n" +
          lazyCheck(".cjs") +
          "\n" +
          cjsNames,
      ],
    ],
  ]) {
    const r = spawnSync(process.execPath, args, { cwd: pkgDir, encoding: "utf8" });
    if (r.status !== 0) {
      failed = true;
      console.error(`check-dist: ${pkg.name} (${kind}) failed:\n${r.stderr}`);
    } else {
      console.log(`check-dist: ${pkg.name} loads with ${kind}: ${specs.join(", ")}`);
    }
  }
}

// The load budget, measured by a module hook: this node's, else the newest pinned Node in the
// cache that has `module.registerHooks` (CI installs them first).
const hooked = nodeWithRegisterHooks([
  process.execPath,
  ...NODE_VERSIONS.toReversed().map((v) => join(nodeBinDir(v), "node")),
]);
if (hooked === undefined) {
  failed = true;
  console.error(
    "check-dist: no Node with module.registerHooks to measure the load budget: run `node tooling/scripts/node-versions.mjs install`",
  );
} else {
  for (const [kind, load] of [
    ["import", 'await import("@flyte/sdk");'],
    ["require", 'require("@flyte/sdk");'],
  ]) {
    let files;
    try {
      files = loadedFiles(hooked, join(root, "packages", "sdk"), load);
    } catch (error) {
      failed = true;
      console.error(`check-dist: ${error.message}`);
      continue;
    }
    const bytes = files.reduce((n, [, size]) => n + size, 0);
    const budget = LOAD_BUDGET[kind];
    const line = `${kind}("@flyte/sdk") reads ${files.length} files, ${bytes} bytes (budget ${budget.files}, ${budget.bytes})`;
    if (files.length > budget.files || bytes > budget.bytes) {
      failed = true;
      console.error(
        `check-dist: ${line}: over budget\n${files.map(([f, size]) => `  ${size} ${f}`).join("\n")}`,
      );
    } else {
      console.log(`check-dist: ${line}`);
    }
  }
}
process.exit(failed ? 1 : 0);
