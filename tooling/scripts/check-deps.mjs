// Packaging rules that a reviewer would otherwise check by memory:
// - @flyte/context-core has no runtime dependencies at all;
// - every bare import in a package's src/ is declared (dependency or peer) or a node: builtin,
//   or is a devDependency the build compiles into dist (listed in `"flyte-ts": { "bundled": [...] }`);
// - no package's src/ reaches into another package's src/.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { builtinModules, createRequire } from "node:module";

// TypeScript's own scanner finds the real imports (static, dynamic, require), never a word
// "from" inside a comment or a string.
const ts = createRequire(import.meta.url)("typescript");

const root = join(import.meta.dirname, "..", "..");
const problems = [];

for (const dir of readdirSync(join(root, "packages"))) {
  const pkgDir = join(root, "packages", dir);
  const pkgFile = join(pkgDir, "package.json");
  if (!existsSync(pkgFile)) continue;
  const pkg = JSON.parse(readFileSync(pkgFile, "utf8"));
  if (pkg.private) continue;
  if (pkg.name === "@flyte/context-core" && Object.keys(pkg.dependencies ?? {}).length > 0) {
    problems.push(
      `${pkg.name} must have no dependencies, has ${Object.keys(pkg.dependencies).join(", ")}`,
    );
  }
  const bundled = pkg["flyte-ts"]?.bundled ?? [];
  for (const name of bundled) {
    if (!(name in (pkg.devDependencies ?? {})))
      problems.push(`${pkg.name} bundles ${name}, which must be a devDependency`);
  }
  const declared = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    ...bundled,
    pkg.name,
  ]);
  const src = join(pkgDir, "src");
  for (const file of readdirSync(src, { recursive: true, encoding: "utf8" })) {
    if (!/\.(ts|mts|cts|js|mjs)$/.test(file)) continue;
    const text = readFileSync(join(src, file), "utf8");
    // A file that only ever runs from the TypeScript sources (a dev entry) says so on a line of
    // its own: "check-deps: source-only". Its imports (tsx) are the developer's tools.
    if (/^\/\/ check-deps: source-only\b/m.test(text)) continue;
    for (const { fileName: spec } of ts.preProcessFile(text, true, true).importedFiles) {
      if (spec.startsWith(".")) {
        if (/\/packages\/|\.\.\/\.\.\/[^/]+\/src/.test(spec))
          problems.push(
            `${relative(root, join(src, file))}: reaches into another package: ${spec}`,
          );
        continue;
      }
      if (spec.startsWith("node:") || builtinModules.includes(spec.split("/")[0])) continue;
      const name = spec.startsWith("@")
        ? spec.split("/").slice(0, 2).join("/")
        : spec.split("/")[0];
      if (!declared.has(name))
        problems.push(`${relative(root, join(src, file))}: imports undeclared ${name}`);
    }
  }
}

if (problems.length) {
  console.error("check-deps found problems:\n  " + problems.join("\n  "));
  process.exit(1);
}
console.log(
  "check-deps: every package imports only what it declares; context-core has no dependencies",
);
