import { defineConfig } from "tsup";
import { builtinModules } from "../../tooling/tsup/builtinModules.js";

export default defineConfig({
  // index: the universal entry (sync fallback); node: installs AsyncLocalStorage first.
  entry: ["src/index.ts", "src/node.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  // No source maps: dist is unminified and reads like the sources; maps would double the install.
  sourcemap: false,
  target: "node20",
  // Built-ins keep `node:` so that builtinModules() sees them (tsup would strip it first).
  removeNodeProtocol: false,
  esbuildPlugins: [builtinModules()],
});
