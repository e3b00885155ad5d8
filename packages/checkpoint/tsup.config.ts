import { rmSync } from "node:fs";
import { defineConfig } from "tsup";
import { builtinModules } from "../../tooling/tsup/builtinModules.js";
import { nodeOutput } from "../../tooling/tsup/nodeOutput.js";
import { fromEntry } from "../../tooling/tsup/fromEntry.js";
import { lazyModules } from "../../tooling/tsup/lazyModules.js";
import type { LazyModule } from "../../tooling/tsup/lazyModules.js";

// tsup builds the configs below at the same time, so neither may `clean` (one would delete
// the other's output): dist/ is emptied once, here, when the config is loaded.
rmSync("dist", { recursive: true, force: true });

// The engine (tar, gzip, streams: everything behind save/load) is loaded on first use, so that
// importing the package stays light (src/lazy/engineModule.ts).
const lazy: LazyModule[] = [
  { file: "/src/lazy/engineModule.ts", fn: "loadEngine", esm: "./engine.js", cjs: "./engine.cjs" },
];

const common = {
  dts: { entry: { index: "src/index.ts" } },
  ...nodeOutput,
} as const;

export default defineConfig([
  // The root entry, one file per format: the engine is not in it, only its loader.
  {
    ...common,
    entry: { index: "src/index.ts" },
    format: ["esm"],
    esbuildPlugins: [builtinModules(), lazyModules("esm", lazy)],
  },
  {
    ...common,
    entry: { index: "src/index.ts" },
    format: ["cjs"],
    esbuildPlugins: [lazyModules("cjs", lazy)],
  },
  {
    // The engine, a file of its own in each format, built apart from the root entry: the error
    // classes come from the root entry (fromEntry), so `instanceof` holds across the two. What
    // else the engine shares with the root (manifest and storage helpers, the workspace) is
    // copied into it, loaded with it on first use instead of with every import.
    ...common,
    entry: { engine: "src/engine.ts" },
    format: ["esm", "cjs"],
    dts: false,
    esbuildPlugins: [
      builtinModules(),
      fromEntry(/[\\/]src[\\/]errors\.ts$/, { esm: "./index.js", cjs: "./index.cjs" }),
    ],
  },
]);
