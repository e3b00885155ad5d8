import { rmSync } from "node:fs";
import type { Plugin } from "esbuild";
import { defineConfig } from "tsup";
import { builtinModules } from "../../tooling/tsup/builtinModules.js";
import { nodeOutput } from "../../tooling/tsup/nodeOutput.js";
import { entriesImport } from "../../tooling/tsup/entriesImport.js";

/**
 * The entries besides the library (the container entrypoint, the isolation worker, and the
 * commands of `flyte run` and `flyte checkpoint`) import the whole library, as the user's task
 * module does: the library then falls into one chunk, not a dozen (see entriesImport).
 */
const taskRunnersImportIndex = entriesImport(
  /[\\/]src[\\/](cli[\\/](flyteTask|runCommand|checkpointCommand)|runtime[\\/]isolation[\\/]worker)\.ts$/,
  "src/index.ts",
);

/**
 * The `flyte` bin is built apart (below) and loads its commands from the main build, where
 * they are entries of their own (`dist/cli/runCommand.js`, `dist/cli/checkpointCommand.js`):
 * `import("./runCommand.js")` stays as written.
 */
const commandsFromMainBuild: Plugin = {
  name: "commands-from-main-build",
  setup(build) {
    build.onResolve({ filter: /^\.\/(runCommand|checkpointCommand)\.js$/ }, (args) =>
      /[\\/]src[\\/]cli[\\/]runFlyteCli\.ts$/.test(args.importer)
        ? { path: args.path, external: true }
        : undefined,
    );
  },
};

// tsup builds the configs below at the same time, so neither may `clean` (one would delete
// the other's output): dist/ is emptied once, here, when the config is loaded.
rmSync("dist", { recursive: true, force: true });

export default defineConfig([
  {
    // ESM: the library, the container entrypoint's bin (dist/cli/flyteTask.js), the isolation
    // worker (dist/runtime/isolation/worker.js, forked by `isolation: "process"` tasks) and the
    // `flyte` commands that run or read tasks, in one build so that code splitting puts the
    // runtime in a chunk they share with dist/index.js: a task module that imports "@flyte/sdk"
    // and the CLI that runs it must see one runner, not two copies.
    entry: [
      "src/index.ts",
      "src/cli/flyteTask.ts",
      "src/cli/runCommand.ts",
      "src/cli/checkpointCommand.ts",
      "src/runtime/isolation/worker.ts",
    ],
    format: ["esm"],
    splitting: true,
    dts: { entry: "src/index.ts" },
    ...nodeOutput,
    esbuildPlugins: [builtinModules(), taskRunnersImportIndex],
  },
  {
    // The `flyte` bin: one file, its own copy of what `--help` and `--version` need (exit codes,
    // help text, output channels: no state, no classes), so that `flyte --help` loads one file
    // and `import("@flyte/sdk")` shares no chunk with it. Its commands come from the build above.
    entry: { "cli/flyte": "src/cli/flyte.ts" },
    format: ["esm"],
    splitting: false,
    dts: false,
    ...nodeOutput,
    esbuildPlugins: [builtinModules(), commandsFromMainBuild],
  },
  {
    // CommonJS: the library only, for `require("@flyte/sdk")`. The bins and the worker are
    // started as files by Node, which runs their ESM build; a CJS copy of them would be unused.
    entry: ["src/index.ts"],
    format: ["cjs"],
    dts: true,
    ...nodeOutput,
  },
]);
