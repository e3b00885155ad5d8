// `node tooling/scripts/test-matrix.mjs [system] [22] [24] [26]` (default: all of them) runs the
// whole test suite (`pnpm test`) once per Node version, with that version's `node` first on
// PATH, so pnpm, turbo, jest and its workers, every forked child and Azurite (all started from
// `process.execPath` or PATH) run on it. "system" is the machine's own node. Versions run one
// after another, and all of them run even when one fails; a table of wall times and results
// closes the output, and the exit code is 1 if any version failed.
//
// CI keeps only the tail of a long log, and the first version's failures would sit 30 minutes of
// output above it. So after the table, each failed version's failures are said again: the tests
// by name with the head of their message (from .test-results, written by the jest summary
// reporter), or, when it failed outside jest (a build, a server), the last lines it printed.
//
// Each version's `pnpm test` starts and stops a radosgw of its own (the root `test` script runs
// under tooling/servers/with-servers.sh): no version inherits the buckets, objects and garbage of
// the ones before it. Run under with-servers.sh itself, S3_ENDPOINT is set and every version
// reuses that one server instead.
import { spawn, spawnSync } from "node:child_process";
import { delimiter, dirname, join } from "node:path";
import { NODE_VERSIONS, installNode, pinnedVersion } from "./node-versions.mjs";
import { failureReports, readTestResults } from "./test-results.mjs";

const root = join(import.meta.dirname, "..", "..");
const wanted = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ["system", ...NODE_VERSIONS.map((v) => v.split(".")[0])];

const TAIL_CHARS = 64 * 1024;
const TAIL_LINES = 60;
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
  const r = await runKeepingTail("pnpm", ["test"], { cwd: root, env });
  const seconds = (Date.now() - started) / 1000;
  const ok = r.status === 0;
  failed ||= !ok;
  rows.push({ version, seconds, ok, code: r.status ?? r.signal, why: ok ? "" : whyFailed(r.tail) });
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
for (const r of rows.filter((r) => !r.ok)) {
  console.log(`\n=== test-matrix: what failed on Node ${r.version} ===\n\n${r.why}`);
}
process.exit(failed ? 1 : 0);

/**
 * Runs a command with its output passed through as it comes, and resolves with its exit status
 * and the last lines it printed (both streams).
 */
function runKeepingTail(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let tail = "";
    const keep = (chunk, out) => {
      out.write(chunk);
      tail = (tail + chunk.toString("utf8")).slice(-TAIL_CHARS);
    };
    child.stdout.on("data", (c) => keep(c, process.stdout));
    child.stderr.on("data", (c) => keep(c, process.stderr));
    child.on("close", (status, signal) => resolve({ status, signal, tail }));
  });
}

/** The failed tests of the run that just ended, else the last lines it printed. */
function whyFailed(tail) {
  const reports = failureReports(readTestResults());
  if (reports.length) return reports.join("\n\n");
  // eslint-disable-next-line no-control-regex -- strip ANSI colours
  const plain = tail.replace(/\u001b\[[0-9;]*m/g, "").split("\n");
  return (
    `(no test failed; the last ${TAIL_LINES} lines it printed)\n` +
    plain.slice(-TAIL_LINES).join("\n")
  );
}
