import { defineConfig } from "tsup";
import { builtinModules } from "../../tooling/tsup/builtinModules.js";
import { nodeOutput } from "../../tooling/tsup/nodeOutput.js";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  ...nodeOutput,
  esbuildPlugins: [builtinModules()],
});
