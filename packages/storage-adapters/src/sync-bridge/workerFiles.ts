/**
 * Where the worker entry and the adapter module are, relative to this file. From the TypeScript
 * sources (tests, tsx) the entry is a plain `.mjs` that registers tsx before loading the
 * TypeScript worker, because jest's transforms do not reach worker threads; from dist both are
 * built JavaScript next to this bundle.
 */
export function workerFiles(module: "s3" | "azure"): { entry: URL; worker: URL; module: URL } {
  const here = import.meta.url;
  if (/\.[cm]?ts$/.test(new URL(here).pathname)) {
    return {
      entry: new URL("./worker-entry.mjs", here),
      worker: new URL("./worker.ts", here),
      module: new URL(`../${module}.ts`, here),
    };
  }
  return {
    entry: new URL("./sync-bridge/worker.js", here),
    worker: new URL("./sync-bridge/worker.js", here),
    module: new URL(`./${module}.js`, here),
  };
}
