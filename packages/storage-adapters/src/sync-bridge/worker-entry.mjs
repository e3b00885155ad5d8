// Entry of the sync-bridge worker when running from TypeScript sources (tests, tsx). Jest's
// transforms do not apply inside worker threads, so this registers tsx and then loads the
// TypeScript worker. If that fails, every request is answered with the failure instead of
// leaving the blocked caller waiting. The built package starts dist/sync-bridge/worker.js instead.
// check-deps: source-only
import { workerData } from "node:worker_threads";

try {
  const { register } = await import("tsx/esm/api");
  register();
  await import(workerData.workerUrl);
} catch (error) {
  const port = workerData.port;
  const control = new Int32Array(workerData.control);
  // Alive enough to answer: the caller must not take this worker for a dead one.
  setInterval(() => Atomics.add(control, 1, 1), 100).unref();
  port.on("message", (request) => {
    port.postMessage({
      id: request.id,
      ok: false,
      error: {
        name: "Error",
        message: `the storage worker failed to start: ${String(error?.stack ?? error)}`,
      },
    });
    Atomics.store(control, 0, 1);
    Atomics.notify(control, 0);
  });
}
