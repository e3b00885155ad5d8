import { defineConfig } from "tsup";

export default defineConfig({
  // The bins (dist/cli/flyte.js, dist/cli/flyteTask.js) are built with the library so that ESM
  // code splitting puts the runtime in chunks they share with dist/index.js: a task module that
  // imports "@flyte/sdk" and the CLI that runs it must see one runner, not two copies.
  entry: ["src/index.ts", "src/cli/flyte.ts", "src/cli/flyteTask.ts"],
  format: ["esm", "cjs"],
  splitting: true,
  dts: { entry: "src/index.ts" },
  clean: true,
  sourcemap: true,
  target: "node20",
});
