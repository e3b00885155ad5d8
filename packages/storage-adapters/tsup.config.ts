import { rmSync } from "node:fs";
import { defineConfig } from "tsup";

// tsup builds the two configs below at the same time, so neither may `clean` (one would delete
// the other's output): dist/ is emptied once, here, when the config is loaded.
rmSync("dist", { recursive: true, force: true });

// The cloud adapters are separate entries (subpaths), so the root entry never pulls in an SDK.
const publicEntries = ["src/index.ts", "src/s3.ts", "src/azure.ts"];

export default defineConfig([
  {
    // ESM, with the sync-bridge worker: worker threads start from a file, and whichever build
    // the caller loaded, the bridge starts dist/sync-bridge/worker.js (see workerFiles.ts).
    entry: [...publicEntries, "src/sync-bridge/worker.ts"],
    format: ["esm"],
    dts: { entry: publicEntries },
    // No source maps: dist is unminified and reads like the sources; maps would double the install.
    sourcemap: false,
    target: "node20",
  },
  {
    // CommonJS, for `require`: the public entries only. `import.meta.url` locates the worker;
    // the CJS build needs tsup's shim for it.
    entry: publicEntries,
    format: ["cjs"],
    dts: { entry: publicEntries },
    // No source maps: dist is unminified and reads like the sources; maps would double the install.
    sourcemap: false,
    target: "node20",
    shims: true,
  },
]);
