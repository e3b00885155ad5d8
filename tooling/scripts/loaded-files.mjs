// The files of ours a load reads, and their size: a `module.registerHooks` probe (Node 22.15+,
// 23.5+) in a child process. Used by check-dist.mjs (the load budget) and by
// packages/docs-check/bench/install.bench.ts (what the import reads).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** The first of `nodes` (paths to `node` binaries) that exists and has `module.registerHooks`. */
export function nodeWithRegisterHooks(nodes) {
  return nodes
    .filter((n) => existsSync(n))
    .find(
      (n) =>
        spawnSync(n, ["-p", 'typeof require("node:module").registerHooks'], {
          encoding: "utf8",
        }).stdout.trim() === "function",
    );
}

/**
 * The files `load` (ESM code, e.g. `await import("@flyte/sdk")`; `require` is in scope) reads
 * when run by `node` in `cwd`, each once, in load order, as `[path, bytes]`. Throws with the
 * child's stderr if it fails.
 */
export function loadedFiles(node, cwd, load) {
  const probe = `import { registerHooks, createRequire } from "node:module";
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
const require = createRequire(process.cwd() + "/");
const seen = new Set();
registerHooks({ load(url, context, next) { if (url.startsWith("file:")) seen.add(fileURLToPath(url)); return next(url, context); } });
${load}
console.log(JSON.stringify([...seen].map((f) => [f, statSync(f).size])));`;
  const r = spawnSync(node, ["--input-type=module", "-e", probe], { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`the module probe (${load}) failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}
