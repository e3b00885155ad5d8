// @flyteorg/flyteidl2 ships TypeScript sources only: jest compiles them like ours (tsup bundles
// them into dist). We import them with NodeNext's `.js` suffix; the files are `.ts`.
// arktype (a test-only dependency) ships ESM only: compiled too.
const compiled = ["@flyteorg/flyteidl2", "arktype", "@ark/[^/]+", "arkregex"].join("|");
module.exports = require("../../tooling/jest/preset.cjs")(__dirname, {
  transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(${compiled})/)`],
  moduleNameMapper: {
    "^(@flyteorg/flyteidl2/.*)\\.js$": "$1.ts",
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
});
