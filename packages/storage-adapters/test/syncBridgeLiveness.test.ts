/**
 * A blocking call parks its thread in `Atomics.wait`, where it cannot hear a worker's `error`
 * or `exit` event. It must still never wait forever: a worker that exits, dies of an uncaught
 * error, or stops running its event loop fails the call with a TransientError that says so,
 * and the next call starts a fresh worker.
 */
import { pathToFileURL } from "node:url";
import { join } from "node:path";

import { TransientError } from "@flyte/storage-adapters";

import { SyncBridge } from "../src/sync-bridge/SyncBridge.js";

function bridge(how: string, options: { unresponsiveMs?: number; timeoutMs?: number } = {}) {
  return new SyncBridge(
    {
      module: "s3",
      moduleUrl: pathToFileURL(join(__dirname, "fixtures", "misbehavingStorage.ts")).href,
      factory: "createMisbehavingStorage",
      location: { scheme: "test", bucket: "b", uri: "test://b" },
      options: { how },
    },
    "test://b",
    options,
  );
}

/** What a blocking call threw, and how long it took. */
function blockingCall(b: SyncBridge): { error: unknown; ms: number } {
  const started = Date.now();
  try {
    b.headSync("k");
    return { error: undefined, ms: Date.now() - started };
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
}

describe("the sync bridge never waits on a dead worker", () => {
  it("answers when the worker does", () => {
    const b = bridge("answer");
    try {
      expect(b.headSync("k")).toEqual({ key: "k", size: 0 });
    } finally {
      b.close();
    }
  }, 60_000);

  it("fails a call whose worker exits without answering", () => {
    const b = bridge("exit");
    try {
      const { error } = blockingCall(b);
      expect(error).toBeInstanceOf(TransientError);
      expect((error as Error).message).toMatch(/the storage worker exited during "head"/);
    } finally {
      b.close();
    }
  }, 60_000);

  it("fails a call whose worker dies of an uncaught error, with that error as cause", () => {
    const b = bridge("throw");
    try {
      const { error } = blockingCall(b);
      expect(error).toBeInstanceOf(TransientError);
      expect((error as Error).message).toMatch(/the storage worker died during "head"/);
      expect(((error as Error).cause as Error).message).toBe("uncaught in the adapter");
    } finally {
      b.close();
    }
  }, 60_000);

  it("fails a call whose worker stops running, after unresponsiveMs, and starts afresh", () => {
    const b = bridge("block", { unresponsiveMs: 1500 });
    try {
      const { error, ms } = blockingCall(b);
      expect(error).toBeInstanceOf(TransientError);
      expect((error as Error).message).toMatch(/showed no sign of life for 1500 ms during "head"/);
      expect(ms).toBeGreaterThanOrEqual(1500);
      expect(ms).toBeLessThan(30_000);
      // The blocked worker was stopped; the next call gets a new one (which blocks again).
      expect(blockingCall(b).error).toBeInstanceOf(TransientError);
    } finally {
      b.close();
    }
  }, 90_000);

  it("fails a call that outlives timeoutMs", () => {
    const b = bridge("block", { timeoutMs: 1 });
    try {
      expect(blockingCall(b).error).toEqual(
        expect.objectContaining({ message: expect.stringMatching(/timed out after 1 ms/) }),
      );
    } finally {
      b.close();
    }
  });
});
