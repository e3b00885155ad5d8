import assert from "node:assert/strict";

import { InvalidArgumentError, NotFoundError, UnsupportedError } from "../../errors.js";
import type { ContractContext } from "../StorageContract.js";
import {
  collect,
  digestStream,
  patternBytes,
  patternStream,
  sha256,
  text,
} from "../contractData.js";

/** Round trips, missing keys and range reads. */
export function roundTripCases(ctx: ContractContext): void {
  ctx.it("round-trips bytes and reports their size and key", async () => {
    const storage = ctx.storage();
    const key = ctx.key("bytes");
    const body = patternBytes(100_003, 1);
    const meta = await storage.put(key, body);
    assert.equal(meta.key, key);
    assert.equal(meta.size, body.length);
    assert.equal(sha256(await storage.get(key)), sha256(body));
    const head = await storage.head(key);
    assert.equal(head?.size, body.length);
    assert.equal(head?.key, key);
    assert.equal((await digestStream(await storage.getStream(key))).sha256, sha256(body));
  });

  ctx.it("writes a string as UTF-8", async () => {
    const storage = ctx.storage();
    const key = ctx.key("string");
    await storage.put(key, "héllo ✓");
    assert.equal(text(await storage.get(key)), "héllo ✓");
  });

  ctx.it("round-trips an empty object, by put and by stream", async () => {
    const storage = ctx.storage();
    const key = ctx.key("empty");
    assert.equal((await storage.put(key, new Uint8Array(0))).size, 0);
    assert.equal((await storage.head(key))?.size, 0);
    assert.equal((await storage.get(key)).length, 0);
    assert.equal((await collect(await storage.getStream(key))).length, 0);
    const streamed = ctx.key("empty-stream");
    await storage.putStream(streamed, (async function* () {})());
    assert.equal((await storage.head(streamed))?.size, 0);
    assert.equal((await storage.get(streamed)).length, 0);
  });

  ctx.it(
    "round-trips a large stream of unknown length across the multipart boundary (sha256 equal)",
    async () => {
      const storage = ctx.storage();
      const key = ctx.key("large");
      const source = patternStream(ctx.largeBytes, 7);
      const meta = await storage.putStream(key, source.body);
      assert.equal(meta.size, ctx.largeBytes);
      assert.equal((await storage.head(key))?.size, ctx.largeBytes);
      const read = await digestStream(await storage.getStream(key));
      assert.deepEqual(read, { sha256: source.sha256(), size: ctx.largeBytes });
    },
  );

  ctx.it(
    "treats a missing key as missing: head null, get and getStream NotFoundError naming it",
    async () => {
      const storage = ctx.storage();
      const key = ctx.key("never-written");
      assert.equal(await storage.head(key), null);
      const error = await storage.get(key).catch((e: unknown) => e);
      assert.ok(error instanceof NotFoundError, `expected NotFoundError, got ${String(error)}`);
      assert.ok(error.uri.includes(key), `the URI ${error.uri} names ${key}`);
      await assert.rejects(storage.getStream(key), NotFoundError);
    },
  );

  ctx.it("reads ranges when it says it can, and refuses them when it cannot", async () => {
    const storage = ctx.storage();
    const key = ctx.key("range");
    const body = patternBytes(50_000, 3);
    await storage.put(key, body);
    if (!storage.capabilities.rangeRead) {
      await assert.rejects(storage.get(key, { range: [10, 20] }), UnsupportedError);
      return;
    }
    assert.equal(
      sha256(await storage.get(key, { range: [1000, 21_000] })),
      sha256(body.subarray(1000, 21_000)),
    );
    assert.equal(
      sha256(await collect(await storage.getStream(key, { range: [49_000, 50_000] }))),
      sha256(body.subarray(49_000)),
    );
    // An end past the object is clamped, as HTTP ranges are.
    assert.equal(
      sha256(await storage.get(key, { range: [49_990, 60_000] })),
      sha256(body.subarray(49_990)),
    );
    await assert.rejects(storage.get(key, { range: [20, 10] }), InvalidArgumentError);
  });
}
