/**
 * A blocking call parks its thread in `Atomics.wait`, where it cannot hear a worker's `error`
 * or `exit` event. It must still never wait forever: a worker that cannot even start, or that
 * dies mid-call, fails the call with a TransientError that says so, within `unresponsiveMs`.
 */
import { TransientError } from "@flyte/storage-adapters";

import { SyncBridge } from "../src/sync-bridge/SyncBridge.js";

const target = {
  module: "azure" as const,
  factory: "createAzureStorage",
  location: {
    scheme: "abfs",
    bucket: "liveness@devstoreaccount1.dfs.core.windows.net",
    uri: "abfs://liveness@devstoreaccount1.dfs.core.windows.net",
  },
  // Nothing listens on port 9: a worker that runs answers with a connection error.
  options: { endpoint: "http://127.0.0.1:9/devstoreaccount1", env: {}, maxAttempts: 1 },
};

describe("the sync bridge never waits on a dead worker", () => {
  it("fails a call whose worker runs out of memory, quickly and with a typed error", () => {
    const bridge = new SyncBridge(target, target.location.uri, {
      unresponsiveMs: 3000,
      // Too small to load the Azure SDK: the worker is killed (ERR_WORKER_OUT_OF_MEMORY).
      resourceLimits: { maxOldGenerationSizeMb: 2, maxYoungGenerationSizeMb: 1 },
    });
    const started = Date.now();
    let error: unknown;
    try {
      bridge.headSync("k");
    } catch (e) {
      error = e;
    } finally {
      bridge.close();
    }
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/storage worker (exited|died|showed no sign of life)/);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it("a worker that runs answers a failing call with the adapter's typed error", () => {
    const bridge = new SyncBridge(target, target.location.uri, { unresponsiveMs: 3000 });
    try {
      // The adapter in the worker reaches nothing on port 9: a typed error, not a hang.
      expect(() => bridge.headSync("k")).toThrow(TransientError);
      expect(() => bridge.headSync("k")).toThrow(/transient Azure fault|ECONNREFUSED/);
    } finally {
      bridge.close();
    }
  }, 60_000);

  it("fails a call that outlives timeoutMs", () => {
    const bridge = new SyncBridge(target, target.location.uri, { timeoutMs: 1 });
    try {
      expect(() => bridge.headSync("k")).toThrow(/timed out after 1 ms/);
    } finally {
      bridge.close();
    }
  });
});
