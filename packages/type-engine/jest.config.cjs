// @flyteorg/flyteidl2 ships TypeScript sources only: jest compiles them like ours (tsup bundles
// them into dist). We import them with NodeNext's `.js` suffix; the files are `.ts`.
module.exports = require("../../tooling/jest/preset.cjs")(__dirname, {
  transformIgnorePatterns: ["/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?@flyteorg/flyteidl2/)"],
  moduleNameMapper: {
    "^(@flyteorg/flyteidl2/.*)\\.js$": "$1.ts",
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
});
