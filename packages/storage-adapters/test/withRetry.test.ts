import type { Storage, SyncStorage } from "@flyte/storage-adapters";
import {
  InvalidArgumentError,
  isSyncStorage,
  NotFoundError,
  TransientError,
  withRetry,
} from "@flyte/storage-adapters";

import { MemoryStorageFixture } from "./fixtures/MemoryStorageFixture.js";

/**
 * A real memfs storage behind a fault injector: each listed operation fails with a
 * TransientError `failures` times before reaching the storage.
 */
function flaky(
  failures: number,
  streamFaults: "before-reading" | "after-reading" = "before-reading",
) {
  const inner = MemoryStorageFixture.create();
  const calls: Record<string, number> = {};
  const fault = (op: string) => {
    calls[op] = (calls[op] ?? 0) + 1;
    if (calls[op] <= failures) {
      throw new TransientError(`memory:///${op}`, `injected fault ${calls[op]}`, {
        cause: new Error("ECONNRESET"),
      });
    }
  };
  const storage: Storage & SyncStorage = {
    scheme: "memory",
    capabilities: inner.capabilities,
    head: async (k) => (fault("head"), inner.head(k)),
    get: async (k, o) => (fault("get"), inner.get(k, o)),
    getStream: async (k, o) => (fault("getStream"), inner.getStream(k, o)),
    put: async (k, b, o) => (fault("put"), inner.put(k, b, o)),
    putStream: async (k, b, o) => {
      if (streamFaults === "before-reading") fault("putStream");
      const meta = await inner.putStream(k, b, o);
      // A fault after the body was consumed (a lost response) cannot be replayed.
      if (streamFaults === "after-reading") fault("putStream");
      return meta;
    },
    async *list(p, o) {
      fault("list");
      yield* inner.list(p, o);
    },
    delete: async (k) => (fault("delete"), inner.delete(k)),
    headSync: (k) => (fault("headSync"), inner.headSync(k)),
    getSync: (k) => (fault("getSync"), inner.getSync(k)),
    getToFileSync: (k, p) => (fault("getToFileSync"), inner.getToFileSync(k, p)),
    putSync: (k, b, o) => (fault("putSync"), inner.putSync(k, b, o)),
    putFileSync: (k, p, o) => (fault("putFileSync"), inner.putFileSync(k, p, o)),
    deleteSync: (k) => (fault("deleteSync"), inner.deleteSync(k)),
  };
  return { storage, inner, calls };
}

const fast = { baseMs: 1, capMs: 2, jitter: false };

describe("withRetry", () => {
  it("retries transient faults until the operation succeeds", async () => {
    const { storage, inner, calls } = flaky(2);
    const retrying = withRetry(storage, { retries: 3, ...fast });
    await retrying.put("k", "v");
    expect(calls["put"]).toBe(3);
    expect((await retrying.get("k")).toString()).toBe("v");
    expect((await retrying.head("k"))?.size).toBe(1);
    const entries: unknown[] = [];
    for await (const entry of retrying.list("")) entries.push(entry);
    expect(entries).toHaveLength(1);
    await retrying.delete("k");
    expect(await inner.head("k")).toBeNull();
    expect(calls).toMatchObject({ get: 3, head: 3, list: 3, delete: 3 });
  });

  it("gives up after the configured retries with a TransientError keeping the URI and cause", async () => {
    const { storage, calls } = flaky(10);
    const error = await withRetry(storage, { retries: 2, ...fast })
      .get("k")
      .catch((e: unknown) => e);
    expect(calls["get"]).toBe(3);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).uri).toBe("memory:///get");
    expect((error as Error).message).toContain("gave up after 3 attempts");
    const cause = (error as Error).cause as TransientError;
    expect(cause).toBeInstanceOf(TransientError);
    expect((cause.cause as Error).message).toBe("ECONNRESET");
  });

  it("does not retry errors that are not transient", async () => {
    const { storage, inner } = flaky(0);
    let calls = 0;
    const counting: Storage = { ...storage, get: (k, o) => (calls++, inner.get(k, o)) };
    await expect(withRetry(counting, fast).get("missing")).rejects.toBeInstanceOf(NotFoundError);
    expect(calls).toBe(1);
  });

  it("retries a stream upload only while its body has not been read", async () => {
    const body = () =>
      (async function* () {
        yield new Uint8Array([1, 2, 3]);
      })();
    const early = flaky(2, "before-reading");
    expect(
      (await withRetry(early.storage, { retries: 5, ...fast }).putStream("k", body())).size,
    ).toBe(3);
    expect(early.calls["putStream"]).toBe(3);
    const late = flaky(1, "after-reading");
    await expect(
      withRetry(late.storage, { retries: 5, ...fast }).putStream("k", body()),
    ).rejects.toBeInstanceOf(TransientError);
    expect(late.calls["putStream"]).toBe(1);
  });

  it("wraps the sync twins with blocking backoff", () => {
    const { storage, calls } = flaky(2);
    const retrying = withRetry(storage, { retries: 2, ...fast });
    expect(isSyncStorage(retrying)).toBe(true);
    retrying.putSync("k", "sync");
    expect(retrying.getSync("k").toString()).toBe("sync");
    expect(calls).toMatchObject({ putSync: 3, getSync: 3 });
    expect(() => withRetry(flaky(5).storage, { retries: 1, ...fast }).headSync("k")).toThrow(
      /gave up after 2 attempts/,
    );
  });

  it("stops backing off when the operation's signal aborts", async () => {
    const { storage } = flaky(10);
    const controller = new AbortController();
    const pending = withRetry(storage, {
      retries: 5,
      baseMs: 60_000,
      capMs: 60_000,
      jitter: false,
    }).get("k", {
      signal: controller.signal,
    });
    controller.abort(new Error("stop waiting"));
    await expect(pending).rejects.toThrow("stop waiting");
  });

  it("does not try again once the signal is aborted, and rejects with its reason", async () => {
    const controller = new AbortController();
    const reason = new Error("task cancelled");
    let calls = 0;
    // The abort lands while the first attempt runs, which then fails as an abort makes it fail.
    const aborting: Storage = {
      ...MemoryStorageFixture.asyncOnly(),
      get: async () => {
        calls++;
        controller.abort(reason);
        throw new TransientError("memory:///k", "connection reset by the abort");
      },
    };
    const retrying = withRetry(aborting, { retries: 5, ...fast });
    await expect(retrying.get("k", { signal: controller.signal })).rejects.toBe(reason);
    expect(calls).toBe(1);
    // Already aborted: no attempt at all.
    await expect(retrying.get("k", { signal: controller.signal })).rejects.toBe(reason);
    expect(calls).toBe(1);
  });

  it("passes the signal of head, delete and list on, and stops a listing's backoff", async () => {
    const reason = new Error("stop");
    const signal = AbortSignal.abort(reason);
    const plain = withRetry(MemoryStorageFixture.create(), fast);
    await plain.put("k", "v");
    await expect(plain.head("k", { signal })).rejects.toBe(reason);
    await expect(plain.delete("k", { signal })).rejects.toBe(reason);
    expect((await plain.head("k"))?.size).toBe(1);
    const { storage, calls } = flaky(10);
    const controller = new AbortController();
    const slow = withRetry(storage, { retries: 5, baseMs: 60_000, capMs: 60_000, jitter: false });
    const listing = (async () => {
      for await (const _ of slow.list("", { signal: controller.signal }));
    })();
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort(reason);
    await expect(listing).rejects.toBe(reason);
    expect(calls["list"]).toBe(1);
  });

  it("refuses bad options when they are given", () => {
    const { storage } = flaky(0);
    expect(() => withRetry(storage, { retries: -1 })).toThrow(InvalidArgumentError);
    expect(() => withRetry(storage, { retries: 1.5 })).toThrow(
      /retries must be a non-negative integer/,
    );
    expect(() => withRetry(storage, { baseMs: Number.NaN })).toThrow(/baseMs/);
    expect(() => withRetry(storage, { factor: 0.5 })).toThrow(/factor must be a number >= 1/);
    expect(() => withRetry(storage, { capMs: -5 })).toThrow(/capMs/);
  });
});
