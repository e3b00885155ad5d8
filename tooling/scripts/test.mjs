// The root test command: every package's jest suite through turbo, then one closing line for the
// whole monorepo. Servers (radosgw) are started around it by tooling/servers/with-servers.sh.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { RESULTS_DIR, failureReports, readTestResults } from "./test-results.mjs";

const root = join(import.meta.dirname, "..", "..");
rmSync(RESULTS_DIR, { recursive: true, force: true });

const turbo = spawnSync(
  "pnpm",
  ["exec", "turbo", "run", "test", "--concurrency=1", "--continue", ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: "inherit",
  },
);

let passed = 0;
let failed = 0;
let skipped = 0;
let suitesFailed = 0;
const rows = [];
const results = readTestResults();
for (const r of results) {
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
  suitesFailed += r.suitesFailed;
  rows.push(
    `  ${r.package.padEnd(20)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`,
  );
}
console.log("\nTest totals by package:\n" + rows.join("\n"));
if (suitesFailed > 0) console.log(`${suitesFailed} test suite(s) failed`);
// Repeated last, so the end of a long log says what failed and how.
for (const report of failureReports(results)) console.log(`\n${report}`);
const ok = turbo.status === 0 && failed === 0 && suitesFailed === 0 && passed > 0;
if (turbo.status !== 0 && failed === 0 && suitesFailed === 0) failed = 1; // turbo failed outside jest
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(ok ? 0 : 1);
