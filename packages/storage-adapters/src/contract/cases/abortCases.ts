import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { Bytes } from "../../Storage.js";
import { isFileStorage } from "../../isFileStorage.js";
import type { ContractContext } from "../StorageContract.js";
import { folderNames, listAll, patternBytes, text } from "../contractData.js";

/** A controller aborted with a reason of its own, so a test can tell it from any other error. */
function aborted(what: string): { signal: AbortSignal; reason: Error } {
  const controller = new AbortController();
  const reason = new Error(`caller gave up: ${what}`);
  controller.abort(reason);
  return { signal: controller.signal, reason };
}

/** Asserts `promise` rejects with exactly `reason` (not a wrapper, not a storage error). */
async function rejectsWith(promise: Promise<unknown>, reason: unknown): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.equal(error, reason, `expected the signal's reason, got ${String(error)}`);
    return true;
  });
}

/**
 * Every operation takes `signal`: an aborted operation rejects with the signal's reason (as
 * `signal.throwIfAborted()` would), publishes nothing, and leaves what was there unchanged.
 */
export function abortCases(ctx: ContractContext): void {
  let tmp: string;
  ctx.beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flyte-contract-abort-"));
  });
  ctx.afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  ctx.it("an already-aborted signal stops every operation before it does anything", async () => {
    const storage = ctx.storage();
    const key = ctx.key("pre-aborted");
    await storage.put(key, "before");
    const fresh = ctx.key("pre-aborted-new");
    let a = aborted("get");
    await rejectsWith(storage.get(key, { signal: a.signal }), a.reason);
    a = aborted("getStream");
    await rejectsWith(storage.getStream(key, { signal: a.signal }), a.reason);
    a = aborted("head");
    await rejectsWith(storage.head(key, { signal: a.signal }), a.reason);
    a = aborted("list");
    await rejectsWith(listAll(storage.list(key, { signal: a.signal })), a.reason);
    a = aborted("put");
    await rejectsWith(storage.put(key, "after", { signal: a.signal }), a.reason);
    a = aborted("put new");
    await rejectsWith(storage.put(fresh, "new", { signal: a.signal }), a.reason);
    a = aborted("putStream");
    await rejectsWith(
      storage.putStream(fresh, (async function* () {})(), { signal: a.signal }),
      a.reason,
    );
    a = aborted("delete");
    await rejectsWith(storage.delete(key, { signal: a.signal }), a.reason);
    assert.equal(text(await storage.get(key)), "before");
    assert.equal(await storage.head(fresh), null);
  });

  ctx.it("aborting a stream write between chunks publishes nothing", async () => {
    const storage = ctx.storage();
    const key = ctx.key("abort-stream");
    await storage.put(key, "before");
    const fresh = ctx.key("abort-stream-new");
    for (const target of [key, fresh]) {
      const controller = new AbortController();
      const reason = new Error(`caller gave up writing ${target}`);
      const body = async function* (): AsyncIterable<Bytes> {
        yield patternBytes(256 * 1024, 8);
        controller.abort(reason);
        // The source keeps going: the adapter must stop on its own.
        for (let i = 0; i < 64; i++) yield patternBytes(256 * 1024, 9 + i);
      };
      await rejectsWith(storage.putStream(target, body(), { signal: controller.signal }), reason);
    }
    assert.equal(text(await storage.get(key)), "before");
    assert.equal(await storage.head(fresh), null);
  });

  ctx.it("aborting a stream write whose source is stalled stops it at once", async () => {
    const storage = ctx.storage();
    const key = ctx.key("abort-stalled");
    const controller = new AbortController();
    const reason = new Error("caller gave up on a stalled source");
    let stalled!: () => void;
    const reached = new Promise<void>((resolve) => (stalled = resolve));
    const body = async function* (): AsyncIterable<Bytes> {
      yield patternBytes(64 * 1024, 3);
      stalled();
      await new Promise(() => undefined); // never yields again
    };
    const writing = storage.putStream(key, body(), { signal: controller.signal });
    await reached;
    controller.abort(reason);
    await rejectsWith(writing, reason);
    assert.equal(await storage.head(key), null);
  });

  ctx.it("aborting a read stream part-way ends it with the reason", async () => {
    const storage = ctx.storage();
    const key = ctx.key("abort-read");
    await storage.put(key, patternBytes(3 * 1024 * 1024 + 5, 4));
    const controller = new AbortController();
    const reason = new Error("caller stopped reading");
    const stream = await storage.getStream(key, { signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.equal(first.done, false);
    controller.abort(reason);
    await rejectsWith(
      (async () => {
        for (let next = await iterator.next(); !next.done; next = await iterator.next());
      })(),
      reason,
    );
  });

  ctx.it("aborting a listing part-way ends it with the reason", async () => {
    const storage = ctx.storage();
    const base = ctx.key("abort-list");
    for (const name of ["a", "b", "c"]) await storage.put(`${base}/${name}`, name);
    const controller = new AbortController();
    const reason = new Error("caller stopped listing");
    const iterator = storage
      .list(`${base}/`, { signal: controller.signal })
      [Symbol.asyncIterator]();
    assert.equal((await iterator.next()).done, false);
    controller.abort(reason);
    await rejectsWith(iterator.next(), reason);
  });

  ctx.it("local-file copies honour an abort and leave no file behind", async () => {
    const storage = ctx.storage();
    if (!isFileStorage(storage)) return;
    const key = ctx.key("abort-file");
    const source = path.join(tmp, "source.bin");
    fs.writeFileSync(source, patternBytes(3 * 1024 * 1024, 5));
    let a = aborted("putFile");
    await rejectsWith(storage.putFile(key, source, { signal: a.signal }), a.reason);
    assert.equal(await storage.head(key), null);
    await storage.put(key, "stored");
    const target = path.join(tmp, "target.bin");
    a = aborted("getToFile");
    await rejectsWith(storage.getToFile(key, target, { signal: a.signal }), a.reason);
    assert.deepEqual(folderNames(tmp), ["source.bin"]);
    // Aborted while copying: onData is the caller's hook to see the copy under way.
    const controller = new AbortController();
    const reason = new Error("caller gave up copying");
    const abortOnFirst = (): void => controller.abort(reason);
    await rejectsWith(
      storage.putFile(key, source, { signal: controller.signal, onData: abortOnFirst }),
      reason,
    );
    assert.equal(text(await storage.get(key)), "stored");
  });
}
