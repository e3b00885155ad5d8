/**
 * Shared jest preset. Every package's jest.config.cjs calls it with its own folder.
 *
 * Tests resolve sibling packages to their TypeScript sources through the `@flyte/source`
 * export condition, so no package has to be built before a test runs.
 */
const path = require("node:path");

/** @param {string} dir package folder @param {import('jest').Config} [overrides] */
module.exports = function preset(dir, overrides = {}) {
  return {
    rootDir: dir,
    displayName: path.basename(dir),
    testEnvironment: "node",
    testEnvironmentOptions: { customExportConditions: ["@flyte/source", "node", "node-addons"] },
    transform: {
      "^.+\\.(t|j)s$": [
        require.resolve("@swc/jest"),
        {
          jsc: {
            parser: { syntax: "typescript", explicitResourceManagement: true },
            target: "es2022",
          },
          module: { type: "commonjs" },
          sourceMaps: "inline",
        },
      ],
    },
    // Sources import siblings with the `.js` suffix NodeNext wants; jest resolves the `.ts` file.
    // @flyteorg/flyteidl2 (bundled by @flyte/type-engine) ships TypeScript sources only: anything
    // that reaches it through @flyte/source has jest compile them, `.js` imports mapped to `.ts`.
    moduleNameMapper: {
      "^(@flyteorg/flyteidl2/.*)\\.js$": "$1.ts",
      "^(\\.{1,2}/.*)\\.js$": "$1",
    },
    transformIgnorePatterns: [
      "/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?@flyteorg/flyteidl2/)",
    ],
    testMatch: ["<rootDir>/test/**/*.test.ts"],
    testTimeout: 30_000,
    setupFiles: [require.resolve("./verifyContext.cjs")],
    // A private TMPDIR per package run, removed at the end (see privateTmpdirSetup.cjs). A package
    // with a globalSetup of its own calls these two from it.
    globalSetup: require.resolve("./privateTmpdirSetup.cjs"),
    globalTeardown: require.resolve("./privateTmpdirTeardown.cjs"),
    reporters: ["default", require.resolve("./summaryReporter.cjs")],
    ...overrides,
  };
};
