// The root test command: every package's jest suite through turbo, then one closing line for the
// whole monorepo. Servers (radosgw) are started around it by tooling/servers/with-servers.sh.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, existsSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const results = join(root, ".test-results");
rmSync(results, { recursive: true, force: true });

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
const failures = [];
if (existsSync(results)) {
  for (const f of readdirSync(results).sort()) {
    const r = JSON.parse(readFileSync(join(results, f), "utf8"));
    passed += r.passed;
    failed += r.failed;
    skipped += r.skipped;
    suitesFailed += r.suitesFailed;
    for (const f of r.failures ?? []) failures.push({ package: r.package, ...f });
    rows.push(
      `  ${r.package.padEnd(20)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`,
    );
  }
}
console.log("\nTest totals by package:\n" + rows.join("\n"));
if (suitesFailed > 0) console.log(`${suitesFailed} test suite(s) failed`);
// Repeated last, so the end of a long log says what failed and how.
for (const f of failures) {
  console.log(`\nFAILED ${f.package} ${f.file} › ${f.test}\n${f.message.replace(/^/gm, "    ")}`);
}
const ok = turbo.status === 0 && failed === 0 && suitesFailed === 0 && passed > 0;
if (turbo.status !== 0 && failed === 0 && suitesFailed === 0) failed = 1; // turbo failed outside jest
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(ok ? 0 : 1);
