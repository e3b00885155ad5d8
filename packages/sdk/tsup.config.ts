import { rmSync } from "node:fs";
import { defineConfig } from "tsup";
import { builtinModules } from "../../tooling/tsup/builtinModules.js";
import { entriesImport } from "../../tooling/tsup/entriesImport.js";

/**
 * The modules that run tasks (the container entrypoint, the isolation worker and `flyte run`, a
 * module the CLI imports on first use) import the whole library, as the user's task module does:
 * the library then falls into one chunk, not a dozen (see entriesImport). `flyte --help` is left
 * out, so it stays light.
 */
const taskRunnersImportIndex = entriesImport(
  /[\\/]src[\\/](cli[\\/](flyteTask|runCommand)|runtime[\\/]isolation[\\/]worker)\.ts$/,
  "src/index.ts",
);

// tsup builds the two configs below at the same time, so neither may `clean` (one would delete
// the other's output): dist/ is emptied once, here, when the config is loaded.
rmSync("dist", { recursive: true, force: true });

export default defineConfig([
  {
    // ESM: the library, the bins (dist/cli/flyte.js, dist/cli/flyteTask.js) and the isolation
    // worker (dist/runtime/isolation/worker.js, forked by `isolation: "process"` tasks), in one build so
    // that code splitting puts the runtime in chunks they share with dist/index.js: a task module
    // that imports "@flyte/sdk" and the CLI that runs it must see one runner, not two copies.
    entry: [
      "src/index.ts",
      "src/cli/flyte.ts",
      "src/cli/flyteTask.ts",
      "src/runtime/isolation/worker.ts",
    ],
    format: ["esm"],
    splitting: true,
    dts: { entry: "src/index.ts" },
    // No source maps: dist is unminified and reads like the sources; maps would double the install.
    sourcemap: false,
    target: "node20",
    // Built-ins keep `node:` so that builtinModules() sees them (tsup would strip it first).
    removeNodeProtocol: false,
    esbuildPlugins: [builtinModules(), taskRunnersImportIndex],
  },
  {
    // CommonJS: the library only, for `require("@flyte/sdk")`. The bins and the worker are
    // started as files by Node, which runs their ESM build; a CJS copy of them would be unused.
    entry: ["src/index.ts"],
    format: ["cjs"],
    dts: true,
    // No source maps: dist is unminified and reads like the sources; maps would double the install.
    sourcemap: false,
    target: "node20",
  },
]);
