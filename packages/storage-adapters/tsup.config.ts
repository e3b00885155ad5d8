import { defineConfig } from "tsup";

export default defineConfig({
  // The cloud adapters are separate entries (subpaths), so the root entry never pulls in an SDK.
  // The sync-bridge worker is its own entry: worker threads start from a file.
  entry: [
    "src/index.ts",
    "src/s3.ts",
    "src/azure.ts",
    "src/contract.ts",
    "src/sync-bridge/worker.ts",
  ],
  format: ["esm", "cjs"],
  // Shared code goes into chunks in both formats: each CJS entry bundling its own copy of
  // errors.ts would make an error from `/s3` or `/contract` fail `instanceof` against the
  // root entry's classes.
  splitting: true,
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  // `import.meta.url` locates the worker; the CJS build needs tsup's shim for it.
  shims: true,
});
