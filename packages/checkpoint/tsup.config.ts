import { rmSync } from "node:fs";
import { defineConfig } from "tsup";
import { builtinModules } from "../../tooling/tsup/builtinModules.js";
import { lazyModules } from "../../tooling/tsup/lazyModules.js";
import type { LazyModule } from "../../tooling/tsup/lazyModules.js";

// tsup builds the two configs below at the same time, so neither may `clean` (one would delete
// the other's output): dist/ is emptied once, here, when the config is loaded.
rmSync("dist", { recursive: true, force: true });

// The engine (tar, gzip, streams: everything behind save/load) is loaded on first use, so that
// importing the package stays light (src/lazy/engineModule.ts).
const lazy: LazyModule[] = [
  { file: "/src/lazy/engineModule.ts", fn: "loadEngine", esm: "./engine.js", cjs: "../engine.js" },
];

export default defineConfig([
  {
    // ESM: the engine is an entry of its own; code splitting puts what it shares with index
    // (errors, manifest, storage access) in chunks, one instance for both: `instanceof` holds.
    entry: { index: "src/index.ts", engine: "src/engine.ts" },
    format: ["esm"],
    splitting: true,
    dts: { entry: { index: "src/index.ts" } },
    // No source maps: dist is unminified and reads like the sources; maps would double the install.
    sourcemap: false,
    target: "node20",
    // Built-ins keep `node:` so that builtinModules() sees them (tsup would strip it first).
    removeNodeProtocol: false,
    esbuildPlugins: [builtinModules(), lazyModules("esm", lazy)],
  },
  {
    // CJS: one file (no splitting, which would rename classes); the engine is bundled into it
    // as a module initialized on the first call.
    entry: { index: "src/index.ts" },
    format: ["cjs"],
    dts: { entry: { index: "src/index.ts" } },
    sourcemap: false,
    target: "node20",
    esbuildPlugins: [lazyModules("cjs", lazy)],
  },
]);
