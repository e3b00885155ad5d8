import {
  InvalidArgumentError,
  NotFoundError,
  StorageError,
  UnsupportedError,
} from "@flyte/storage-adapters";

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
  const { timeoutMs } = ctx;

  it(
    "round-trips bytes and reports their size and key",
    async () => {
      const storage = ctx.storage();
      const key = ctx.key("bytes");
      const body = patternBytes(100_003, 1);
      const meta = await storage.put(key, body);
      expect(meta.key).toBe(key);
      expect(meta.size).toBe(body.length);
      expect(sha256(await storage.get(key))).toBe(sha256(body));
      const head = await storage.head(key);
      expect(head?.size).toBe(body.length);
      expect(head?.key).toBe(key);
      expect((await digestStream(await storage.getStream(key))).sha256).toBe(sha256(body));
    },
    timeoutMs,
  );

  it(
    "writes a string as UTF-8",
    async () => {
      const storage = ctx.storage();
      const key = ctx.key("string");
      await storage.put(key, "héllo ✓");
      expect(text(await storage.get(key))).toBe("héllo ✓");
    },
    timeoutMs,
  );

  it(
    "round-trips an empty object, by put and by stream",
    async () => {
      const storage = ctx.storage();
      const key = ctx.key("empty");
      expect((await storage.put(key, new Uint8Array(0))).size).toBe(0);
      expect((await storage.head(key))?.size).toBe(0);
      expect((await storage.get(key)).length).toBe(0);
      expect((await collect(await storage.getStream(key))).length).toBe(0);
      const streamed = ctx.key("empty-stream");
      await storage.putStream(streamed, (async function* () {})());
      expect((await storage.head(streamed))?.size).toBe(0);
      expect((await storage.get(streamed)).length).toBe(0);
    },
    timeoutMs,
  );

  it(
    "round-trips a large stream of unknown length across the multipart boundary (sha256 equal)",
    async () => {
      const storage = ctx.storage();
      const key = ctx.key("large");
      const source = patternStream(ctx.largeBytes, 7);
      const meta = await storage.putStream(key, source.body);
      expect(meta.size).toBe(ctx.largeBytes);
      expect((await storage.head(key))?.size).toBe(ctx.largeBytes);
      const read = await digestStream(await storage.getStream(key));
      expect(read).toEqual({ sha256: source.sha256(), size: ctx.largeBytes });
    },
    timeoutMs,
  );

  it(
    "treats a missing key as missing: head null, get and getStream NotFoundError naming it",
    async () => {
      const storage = ctx.storage();
      const key = ctx.key("never-written");
      expect(await storage.head(key)).toBeNull();
      const error = await storage.get(key).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).uri).toContain(key);
      await expect(storage.getStream(key)).rejects.toBeInstanceOf(NotFoundError);
    },
    timeoutMs,
  );

  it(
    "reads ranges when it says it can, and refuses them when it cannot",
    async () => {
      const storage = ctx.storage();
      const key = ctx.key("range");
      const body = patternBytes(50_000, 3);
      await storage.put(key, body);
      if (!storage.capabilities.rangeRead) {
        await expect(storage.get(key, { range: [10, 20] })).rejects.toBeInstanceOf(
          UnsupportedError,
        );
        return;
      }
      expect(sha256(await storage.get(key, { range: [1000, 21_000] }))).toBe(
        sha256(body.subarray(1000, 21_000)),
      );
      expect(sha256(await collect(await storage.getStream(key, { range: [49_000, 50_000] })))).toBe(
        sha256(body.subarray(49_000)),
      );
      // An end past the object is clamped, as HTTP ranges are.
      expect(sha256(await storage.get(key, { range: [49_990, 60_000] }))).toBe(
        sha256(body.subarray(49_990)),
      );
      const bad = await storage.get(key, { range: [20, 10] }).catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(StorageError);
      expect(bad).toBeInstanceOf(InvalidArgumentError);
    },
    timeoutMs,
  );
}
