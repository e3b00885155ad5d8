// The suite spawns children, talks to radosgw and Azurite and allocates a lot on purpose:
// tests set their own timeouts, and the run is started with --expose-gc (see package.json).
module.exports = require("../../tooling/jest/preset.cjs")(__dirname);
