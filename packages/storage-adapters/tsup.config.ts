import { rmSync } from "node:fs";
import { defineConfig } from "tsup";
import { builtinModules } from "../../tooling/tsup/builtinModules.js";
import { nodeOutput } from "../../tooling/tsup/nodeOutput.js";
import { fromEntry } from "../../tooling/tsup/fromEntry.js";

// tsup builds the configs below at the same time, so none may `clean` (one would delete another's
// output): dist/ is emptied once, here, when the config is loaded.
rmSync("dist", { recursive: true, force: true });

// The cloud adapters and the contract suite are separate entries (subpaths), so the root entry
// never pulls in an SDK.
const publicEntries = ["src/index.ts", "src/s3.ts", "src/azure.ts", "src/contract.ts"];

const js = {
  dts: false,
  ...nodeOutput,
} as const;

export default defineConfig([
  {
    // The root entry, one file per format: no chunk shared with the subpaths.
    ...js,
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    splitting: false,
    // `import.meta.url` locates the sync-bridge worker (LazyStorage's blocking calls); the CJS
    // build needs tsup's shim for it.
    shims: true,
    esbuildPlugins: [builtinModules()],
  },
  {
    // The subpaths, one file each per format, built apart from the root entry: the error classes
    // come from the root entry (fromEntry), so an error from `/s3` or `/contract` is `instanceof`
    // the root's classes. The helpers they share with it (no state, no classes of their own
    // that cross back) are copied in, loaded only with the subpath.
    ...js,
    entry: ["src/s3.ts", "src/azure.ts", "src/contract.ts"],
    format: ["esm", "cjs"],
    splitting: false,
    shims: true,
    esbuildPlugins: [
      builtinModules(),
      fromEntry(/[\\/]src[\\/]errors\.ts$/, { esm: "./index.js", cjs: "./index.cjs" }),
    ],
  },
  {
    // The sync-bridge worker, one file of its own: worker threads start from a file, and whichever
    // build the caller loaded, the bridge starts dist/sync-bridge/worker.js (see workerFiles.ts).
    // A worker thread has a module graph of its own: a copy of what it shares costs nothing.
    ...js,
    entry: { "sync-bridge/worker": "src/sync-bridge/worker.ts" },
    format: ["esm"],
    splitting: false,
    esbuildPlugins: [builtinModules()],
  },
  {
    // The declarations of every public entry, in one build: the types they share (the errors,
    // `Storage`) are declared once, in a chunk they all import, so a class from `/s3` and one
    // from the root are the same type.
    entry: publicEntries,
    format: ["esm", "cjs"],
    dts: { entry: publicEntries, only: true },
  },
]);
