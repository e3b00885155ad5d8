// `node tooling/scripts/test-matrix.mjs [system] [22] [24] [26]` (default: all of them) runs the
// whole test suite (`pnpm test`) once per Node version, with that version's `node` first on
// PATH, so pnpm, turbo, jest and its workers, every forked child and Azurite (all started from
// `process.execPath` or PATH) run on it. "system" is the machine's own node. Versions run one
// after another, and all of them run even when one fails; a table of wall times and results
// closes the output, and the exit code is 1 if any version failed.
//
// Each version's `pnpm test` starts and stops a radosgw of its own (the root `test` script runs
// under tooling/servers/with-servers.sh): no version inherits the buckets, objects and garbage of
// the ones before it. Run under with-servers.sh itself, S3_ENDPOINT is set and every version
// reuses that one server instead.
import { spawnSync } from "node:child_process";
import { delimiter, dirname, join } from "node:path";
import { NODE_VERSIONS, installNode, pinnedVersion } from "./node-versions.mjs";

const root = join(import.meta.dirname, "..", "..");
const wanted = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ["system", ...NODE_VERSIONS.map((v) => v.split(".")[0])];

const rows = [];
let failed = false;
for (const want of wanted) {
  const bin = want === "system" ? dirname(process.execPath) : installNode(pinnedVersion(want));
  // Drop every other folder holding a `node` from PATH's front: the chosen one must win.
  const PATH = [bin, ...(process.env.PATH ?? "").split(delimiter).filter((p) => p !== bin)].join(
    delimiter,
  );
  const env = { ...process.env, PATH };
  const version = spawnSync(join(bin, "node"), ["--version"], { encoding: "utf8" }).stdout.trim();
  console.log(`\n=== test-matrix: pnpm test on Node ${version} (${bin}) ===\n`);
  const started = Date.now();
  const r = spawnSync("pnpm", ["test"], {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const seconds = (Date.now() - started) / 1000;
  const ok = r.status === 0;
  failed ||= !ok;
  rows.push({ version, seconds, ok, code: r.status ?? r.signal });
}

console.log("\n=== test-matrix: pnpm test per Node version ===\n");
console.log("| Node | wall time | result |\n| --- | --- | --- |");
for (const r of rows) {
  const m = Math.floor(r.seconds / 60);
  const s = Math.round(r.seconds % 60);
  console.log(
    `| ${r.version} | ${m}m${String(s).padStart(2, "0")}s | ${r.ok ? "passed" : `FAILED (exit ${r.code})`} |`,
  );
}
process.exit(failed ? 1 : 0);
