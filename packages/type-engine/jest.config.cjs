// The shared preset compiles @flyteorg/flyteidl2's TypeScript sources. arktype (a test-only
// dependency) ships ESM only: compiled too.
const compiled = ["@flyteorg/flyteidl2", "arktype", "@ark/[^/]+", "arkregex"].join("|");
module.exports = require("../../tooling/jest/preset.cjs")(__dirname, {
  transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(${compiled})/)`],
});
