// `node tooling/scripts/check-packages.mjs [pkgDir...]` (default: every public packages/*):
// packs each package the way it is published (`pnpm pack`, which applies `publishConfig`) and
// checks the tarball itself, not the folder it came from:
// - publint --strict and attw under every moduleResolution (node10, node16 CJS/ESM, bundler);
// - no TypeScript sources (`src/`, `.ts` other than declarations) and no `@flyte/source`
//   condition or `workspace:` range in the packed package.json: those are for this repository;
// - a LICENSE identical to the repository's, a `repository` naming the package's folder, the
//   `engines.node` range of the root package.json;
// - every file that exports/main/types/bin/typesVersions name is in the tarball, and every file
//   in the tarball is reached from one of them (imports, requires, `new URL(...)`, worker paths,
//   source maps of reached files), so no build nobody loads is shipped (e.g. a CJS copy of a bin).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const rootPkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const rootLicense = readFileSync(join(root, "LICENSE"), "utf8");

const dirs = process.argv.slice(2).length
  ? process.argv.slice(2).map((d) => resolve(d))
  : readdirSync(join(root, "packages"))
      .sort()
      .map((d) => join(root, "packages", d))
      .filter((d) => existsSync(join(d, "package.json")))
      .filter((d) => !JSON.parse(readFileSync(join(d, "package.json"), "utf8")).private);

const work = mkdtempSync(join(tmpdir(), "flyte-check-packages-"));
let failed = false;
try {
  for (const dir of dirs) {
    const problems = checkPackage(dir);
    const name = relative(root, dir);
    if (problems.length) {
      failed = true;
      console.error(
        `check-packages: ${name}: ${problems.length} problem(s)\n  ${problems.join("\n  ")}`,
      );
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

/** Packs one package and returns what is wrong with the tarball, one line per problem. */
function checkPackage(dir) {
  const problems = [];
  const folder = relative(root, dir).split("\\").join("/");
  if (!existsSync(join(dir, "dist"))) return [`no dist/: run \`pnpm build\` first`];
  const dest = mkdtempSync(join(work, "pack-"));
  const pack = run("pnpm", ["pack", "--pack-destination", dest, "--json"], dir);
  if (pack.status !== 0) return [`pnpm pack failed:\n${pack.stderr}${pack.stdout}`];
  const tarball = JSON.parse(pack.stdout).filename;
  const files = run("tar", ["-tzf", tarball], dir)
    .stdout.split("\n")
    .filter((f) => f && !f.endsWith("/"))
    .map((f) => f.replace(/^package\//, ""));
  const fileSet = new Set(files);
  const read = (f) => run("tar", ["-xzOf", tarball, `package/${f}`], dir).stdout;
  const manifestText = read("package.json");
  const pkg = JSON.parse(manifestText);

  // What the published manifest says.
  if (manifestText.includes("@flyte/source"))
    problems.push(
      "package.json keeps the @flyte/source condition (publishConfig.exports must drop it)",
    );
  if (manifestText.includes('"workspace:')) problems.push("package.json keeps a workspace: range");
  if (pkg.publishConfig?.exports)
    problems.push("publishConfig.exports was not applied by the packer");
  if (!pkg.repository?.url) problems.push("no repository.url");
  if (pkg.repository?.directory !== folder)
    problems.push(
      `repository.directory is ${JSON.stringify(pkg.repository?.directory)}, not "${folder}"`,
    );
  if (pkg.engines?.node !== rootPkg.engines.node)
    problems.push(
      `engines.node is ${JSON.stringify(pkg.engines?.node)}, the root package.json says ${JSON.stringify(rootPkg.engines.node)}`,
    );
  if (pkg.license !== "Apache-2.0")
    problems.push(`license is ${JSON.stringify(pkg.license)}, not Apache-2.0`);
  if (!fileSet.has("LICENSE"))
    problems.push("no LICENSE file (copy the repository's LICENSE into the package folder)");
  else if (read("LICENSE") !== rootLicense)
    problems.push("LICENSE differs from the repository's LICENSE");

  // What the tarball holds.
  for (const f of files) {
    if (f.startsWith("src/")) problems.push(`ships sources: ${f}`);
    else if (/\.[cm]?tsx?$/.test(f) && !/\.d\.[cm]?ts$/.test(f))
      problems.push(`ships a TypeScript source: ${f}`);
  }
  const entries = entryFiles(pkg);
  for (const e of entries)
    if (!fileSet.has(e)) problems.push(`package.json names ${e}, which is not in the tarball`);
  for (const b of Object.values(
    typeof pkg.bin === "string" ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {}),
  )) {
    const f = posix.normalize(b);
    const isEsm = f.endsWith(".mjs") || (f.endsWith(".js") && pkg.type === "module");
    if (!isEsm) problems.push(`bin ${f} is not ESM`);
    const twin = f.replace(/\.[cm]?js$/, ".cjs");
    if (twin !== f && fileSet.has(twin))
      problems.push(`bin ${f} has an unused CommonJS twin ${twin}`);
  }
  const reached = reachable(entries, fileSet, read);
  const always = new Set(["package.json", "README.md", "LICENSE"]);
  for (const f of files)
    if (!always.has(f) && !reached.has(f))
      problems.push(`ships ${f}, which nothing loads (an unused build?)`);

  // The linters, on the tarball.
  const publint = run(bin("publint"), ["run", tarball, "--strict"], dir);
  if (publint.status !== 0)
    problems.push(`publint --strict failed:\n${indent(publint.stdout + publint.stderr)}`);
  // Profile "strict" covers node10 (subpaths need typesVersions), node16 from CJS and ESM, bundler.
  const attw = run(
    bin("attw"),
    [tarball, "--profile", "strict", "--format", "table-flipped", "--no-color", "--no-emoji"],
    dir,
  );
  if (attw.status !== 0)
    problems.push(`attw (node10, node16, bundler) failed:\n${indent(attw.stdout + attw.stderr)}`);

  if (!problems.length) {
    const kb = files.reduce((n, f) => n + Buffer.byteLength(read(f)), 0) / 1024;
    console.log(
      `check-packages: ${pkg.name}: ${files.length} files, ${kb.toFixed(0)} kB unpacked; publint, attw (node10/node16/bundler), contents ok`,
    );
  }
  return problems;
}

/** Files package.json points at: exports (every condition), main, module, types, typesVersions, bin. */
function entryFiles(pkg) {
  const out = new Set();
  const walk = (v) => {
    if (typeof v === "string") {
      if (v.startsWith("./") && !v.includes("*")) out.add(posix.normalize(v));
    } else if (v && typeof v === "object") for (const x of Object.values(v)) walk(x);
  };
  walk(pkg.exports);
  walk(pkg.typesVersions);
  walk(pkg.bin);
  for (const k of ["main", "module", "types", "typings"])
    if (typeof pkg[k] === "string") out.add(posix.normalize(pkg[k]));
  out.delete("package.json");
  return out;
}

/**
 * The files reached from the entries: relative specifiers of import/export/require/import(),
 * `new URL("./x", import.meta.url)`, and any string literal naming a file of the tarball
 * relative to the file that holds it (how the SDK finds its worker); `.js` specifiers in a
 * declaration file name the declaration; a reached file's `.map` is reached.
 */
function reachable(entries, fileSet, read) {
  const seen = new Set();
  const queue = [...entries].filter((f) => fileSet.has(f));
  while (queue.length) {
    const f = queue.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    if (fileSet.has(`${f}.map`)) seen.add(`${f}.map`);
    if (!/\.(c|m)?js$|\.d\.(c|m)?ts$/.test(f)) continue;
    const text = read(f);
    const isDts = /\.d\.(c|m)?ts$/.test(f);
    for (const m of text.matchAll(/["'`]((?:\.{1,2}\/)?[\w@.\-/]+\.(?:c|m)?js)["'`]/g)) {
      const spec = m[1];
      const base = posix.normalize(posix.join(dirname(f), spec));
      const candidates = isDts
        ? [
            base
              .replace(/\.js$/, ".d.ts")
              .replace(/\.cjs$/, ".d.cts")
              .replace(/\.mjs$/, ".d.mts"),
            base,
          ]
        : [base];
      for (const c of candidates) if (fileSet.has(c) && !seen.has(c)) queue.push(c);
    }
  }
  return seen;
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return r;
}

function indent(text) {
  return text
    .trim()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}
