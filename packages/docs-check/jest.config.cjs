const path = require("node:path");

// Installs and runs take seconds each; the files run one after the other (2 cores, and npm's
// cache is shared). The packing and the registry are set up once, in globalSetup.
module.exports = require("../../tooling/jest/preset.cjs")(__dirname, {
  testTimeout: 600_000,
  maxWorkers: 1,
  globalSetup: path.join(__dirname, "test", "globalSetup.mjs"),
  globalTeardown: path.join(__dirname, "test", "globalTeardown.mjs"),
});
