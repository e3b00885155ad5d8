/**
 * Writes each package's totals to <repo>/.test-results/<package>.json so that the root test
 * command can print one closing line for the whole monorepo ("N passed, N failed") and, after it,
 * every failure by name with the head of its message: CI keeps only the tail of a long log, so
 * what failed must be said at the end, not only where jest first printed it.
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
        failures: failuresOf(results, this.rootDir),
      }),
    );
  }
}

const HEAD_LINES = 10;

/** The failed tests and the suites that failed outside a test (a hook, a load error), briefly. */
function failuresOf(results, rootDir) {
  const out = [];
  for (const suite of results.testResults) {
    const file = path.relative(rootDir, suite.testFilePath);
    if (suite.testExecError) {
      out.push({ file, test: "(suite)", message: head(suite.testExecError.message ?? "") });
    }
    for (const t of suite.testResults) {
      if (t.status !== "failed") continue;
      out.push({ file, test: t.fullName, message: head(t.failureMessages.join("\n")) });
    }
    if (
      !suite.testExecError &&
      suite.failureMessage &&
      !suite.testResults.some((t) => t.status === "failed")
    ) {
      out.push({ file, test: "(suite)", message: head(suite.failureMessage) });
    }
  }
  return out;
}

function head(text) {
  // eslint-disable-next-line no-control-regex -- strip ANSI colours from jest's messages
  const plain = text.replace(/\u001b\[[0-9;]*m/g, "");
  // Frames inside node_modules (jest's own) say nothing about the failure.
  const lines = plain.split("\n").filter((l) => !/node_modules|at new Promise/.test(l));
  return lines.slice(0, HEAD_LINES).join("\n");
}

module.exports = SummaryReporter;
