// What the jest summary reporter (tooling/jest/summaryReporter.cjs) wrote for the last
// `pnpm test`: one file per package in <repo>/.test-results. Read by the root test command
// (totals, then the failures again at the end) and by test-matrix.mjs (each failed version's
// failures after its table), so both say a failure the same way.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** The folder the reporter writes to. */
export const RESULTS_DIR = join(import.meta.dirname, "..", "..", ".test-results");

/** Each package's totals and failures, by package name; none when nothing ran. */
export function readTestResults() {
  if (!existsSync(RESULTS_DIR)) return [];
  return readdirSync(RESULTS_DIR)
    .sort()
    .map((f) => JSON.parse(readFileSync(join(RESULTS_DIR, f), "utf8")));
}

/** Every failure of `results`, each as "FAILED <package> <file> › <test>" and its message. */
export function failureReports(results) {
  return results.flatMap((r) =>
    (r.failures ?? []).map(
      (f) => `FAILED ${r.package} ${f.file} › ${f.test}\n${f.message.replace(/^/gm, "    ")}`,
    ),
  );
}
