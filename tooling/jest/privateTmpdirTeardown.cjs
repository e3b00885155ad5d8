/**
 * jest globalTeardown of every package: removes the private temporary folder that
 * privateTmpdirSetup.cjs made, and puts TMPDIR back.
 */
const fs = require("node:fs");

module.exports = async function privateTmpdirTeardown() {
  const dir = process.env.FLYTE_JEST_TMPDIR;
  if (!dir) return;
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  const parent = process.env.FLYTE_JEST_PARENT_TMPDIR;
  if (parent) process.env.TMPDIR = parent;
  else delete process.env.TMPDIR;
  delete process.env.FLYTE_JEST_TMPDIR;
  delete process.env.FLYTE_JEST_PARENT_TMPDIR;
};
