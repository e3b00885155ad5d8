// @flyteorg/flyteidl2 ships TypeScript sources only: jest compiles them like ours (they are
// bundled into dist by tsup). Their imports end in `.ts`, which resolve as they are.
module.exports = require("../../tooling/jest/preset.cjs")(__dirname, {
  transformIgnorePatterns: ["/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?@flyteorg/flyteidl2/)"],
});
