import { defineConfig } from "tsup";
import { builtinModules } from "../../tooling/tsup/builtinModules.js";
import { nodeOutput } from "../../tooling/tsup/nodeOutput.js";

export default defineConfig({
  // index: the universal entry (sync fallback); node: installs AsyncLocalStorage first.
  entry: ["src/index.ts", "src/node.ts"],
  format: ["esm", "cjs"],
  // Each entry one file, no shared chunk: Node always takes `node` (the exports map's `node`
  // condition), universal code takes `index`, and no process loads both, so each needs only its
  // own copy. One file, not two, for every `import("@flyte/context-core")`.
  splitting: false,
  dts: true,
  clean: true,
  ...nodeOutput,
  esbuildPlugins: [builtinModules()],
});
