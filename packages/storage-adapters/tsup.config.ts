import { rmSync } from "node:fs";
import { defineConfig } from "tsup";
import { builtinModules } from "../../tooling/tsup/builtinModules.js";
import { entriesImport } from "../../tooling/tsup/entriesImport.js";

// tsup builds the two configs below at the same time, so neither may `clean` (one would delete
// the other's output): dist/ is emptied once, here, when the config is loaded.
rmSync("dist", { recursive: true, force: true });

// The cloud adapters and the contract suite are separate entries (subpaths), so the root entry
// never pulls in an SDK.
const publicEntries = ["src/index.ts", "src/s3.ts", "src/azure.ts", "src/contract.ts"];

// The subpaths import the root entry whole, as their users do: the root's modules then fall into
// one chunk, not five (see entriesImport). The sync-bridge worker is left out: it stays light.
const subpathsImportIndex = entriesImport(/[\\/]src[\\/](s3|azure|contract)\.ts$/, "src/index.ts");

export default defineConfig([
  {
    // ESM: the public entries.
    entry: publicEntries,
    format: ["esm"],
    splitting: true,
    dts: { entry: publicEntries },
    // No source maps: dist is unminified and reads like the sources; maps would double the install.
    sourcemap: false,
    target: "node20",
    // Built-ins keep `node:` so that builtinModules() sees them (tsup would strip it first).
    removeNodeProtocol: false,
    esbuildPlugins: [builtinModules(), subpathsImportIndex],
  },
  {
    // The sync-bridge worker, one file of its own: worker threads start from a file, and whichever
    // build the caller loaded, the bridge starts dist/sync-bridge/worker.js (see workerFiles.ts).
    // Built apart, not split with the entries above: a worker thread has a module graph of its
    // own, so sharing a chunk with the main thread's modules would buy no single instance, and
    // would cost `import("@flyte/storage-adapters")` one more file (the protocol they share).
    entry: { "sync-bridge/worker": "src/sync-bridge/worker.ts" },
    format: ["esm"],
    splitting: false,
    dts: false,
    sourcemap: false,
    target: "node20",
    removeNodeProtocol: false,
    esbuildPlugins: [builtinModules()],
  },
  {
    // CommonJS, for `require`: the public entries only. Shared code goes into chunks: each CJS
    // entry bundling its own copy of errors.ts would make an error from `/s3` or `/contract`
    // fail `instanceof` against the root entry's classes. `import.meta.url` locates the worker;
    // the CJS build needs tsup's shim for it.
    entry: publicEntries,
    format: ["cjs"],
    splitting: true,
    dts: { entry: publicEntries },
    sourcemap: false,
    target: "node20",
    esbuildPlugins: [subpathsImportIndex],
    shims: true,
  },
]);
