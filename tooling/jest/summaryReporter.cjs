/**
 * Writes each package's totals to <repo>/.test-results/<package>.json so that the root test
 * command can print one closing line for the whole monorepo ("N passed, N failed").
 */
const fs = require("node:fs");
const path = require("node:path");

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const dir = path.join(__dirname, "..", "..", ".test-results");
    fs.mkdirSync(dir, { recursive: true });
    const name = path.basename(this.rootDir);
    fs.writeFileSync(
      path.join(dir, `${name}.json`),
      JSON.stringify({
        package: name,
        passed: results.numPassedTests,
        failed: results.numFailedTests,
        skipped: results.numPendingTests + results.numTodoTests,
        suitesFailed: results.numFailedTestSuites + (results.numRuntimeErrorTestSuites ?? 0),
      }),
    );
  }
}

module.exports = SummaryReporter;
