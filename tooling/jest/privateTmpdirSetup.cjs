/**
 * jest globalSetup of every package: a private temporary folder for the run (TMPDIR, which
 * `os.tmpdir()` reads on every call and every forked child inherits), removed again by
 * privateTmpdirTeardown.cjs. Test files make their work folders with `mkdtemp(tmpdir())` and some
 * cannot remove all of them (a SIGKILLed child's files, a run folder a failed test leaves); run
 * after run on one machine (CI runs the suite once per Node version) they would pile up in /tmp.
 */
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

module.exports = async function privateTmpdirSetup(globalConfig) {
  const name = path.basename(globalConfig.rootDir).replace(/[^A-Za-z0-9-]/g, "");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `flyte-jest-${name}-`));
  process.env.FLYTE_JEST_PARENT_TMPDIR = process.env.TMPDIR ?? "";
  process.env.FLYTE_JEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
};
