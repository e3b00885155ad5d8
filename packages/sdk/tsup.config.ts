import { defineConfig } from "tsup";

export default defineConfig({
  // The bins (dist/cli/flyte.js, dist/cli/flyteTask.js) are built with the library so that ESM
  // code splitting puts the runtime in chunks they share with dist/index.js: a task module that
  // imports "@flyte/sdk" and the CLI that runs it must see one runner, not two copies.
  // The isolation worker (dist/isolation/worker.js) is forked by `isolation: "process"` tasks.
  entry: ["src/index.ts", "src/cli/flyte.ts", "src/cli/flyteTask.ts", "src/runtime/isolation/worker.ts"],
  format: ["esm", "cjs"],
  splitting: true,
  dts: { entry: "src/index.ts" },
  clean: true,
  sourcemap: true,
  target: "node20",
});
