import assert from "node:assert/strict";

import type { Bytes } from "../../Storage.js";
import type { ContractContext } from "../StorageContract.js";
import { chunks, collect, listAll, patternBytes, text } from "../contractData.js";

/** Object `version` of the overwrite check: its size tells which byte value must fill it. */
function versionBytes(version: number): Uint8Array {
  return new Uint8Array(128 * 1024 + version * 4099).fill(version);
}

/** A read is whole iff its size matches the version its first byte names and every byte agrees. */
function isWholeVersion(bytes: Uint8Array): boolean {
  const version = bytes[0];
  if (version === undefined || bytes.length !== 128 * 1024 + version * 4099) return false;
  return bytes.every((b) => b === version);
}

/** Readers never see a part of an object, whatever the writer does. */
export function atomicityCases(ctx: ContractContext): void {
  ctx.it("a reader during repeated overwrites only ever sees whole objects", async () => {
    const storage = ctx.storage();
    const key = ctx.key("overwrite");
    await storage.put(key, versionBytes(1));
    let writing = true;
    const writer = (async () => {
      try {
        for (let v = 2; v <= ctx.overwrites + 1; v++) {
          // Alternate the two write paths; both must be atomic.
          if (v % 2 === 0) await storage.put(key, versionBytes(v));
          else
            await storage.putStream(
              key,
              chunks([versionBytes(v).subarray(0, 50_000), versionBytes(v).subarray(50_000)]),
            );
        }
      } finally {
        writing = false;
      }
    })();
    const seen = new Set<number>();
    let reads = 0;
    const partial: number[] = [];
    while (writing || reads < 2) {
      const bytes =
        reads % 2 === 0 ? await storage.get(key) : await collect(await storage.getStream(key));
      reads++;
      if (isWholeVersion(bytes)) seen.add(bytes[0]!);
      else partial.push(bytes.length);
    }
    await writer;
    assert.deepEqual(partial, [], "sizes of the partial objects a reader saw");
    assert.ok(seen.size > 0);
    const last = await storage.get(key);
    assert.ok(isWholeVersion(last));
    assert.equal(last[0], ctx.overwrites + 1);
  });

  ctx.it("a stream that fails midway leaves the old object (or nothing) in place", async () => {
    const storage = ctx.storage();
    const key = ctx.key("failed-stream");
    await storage.put(key, "before");
    const failing = async function* (): AsyncIterable<Bytes> {
      yield patternBytes(3 * 1024 * 1024, 5);
      yield patternBytes(3 * 1024 * 1024, 6);
      throw new Error("source broke");
    };
    await assert.rejects(storage.putStream(key, failing()), /source broke/);
    assert.equal(text(await storage.get(key)), "before");
    const fresh = ctx.key("failed-stream-new");
    await assert.rejects(storage.putStream(fresh, failing()), /source broke/);
    assert.equal(await storage.head(fresh), null);
  });

  ctx.it("an upload in progress is invisible until it completes", async () => {
    const storage = ctx.storage();
    const base = ctx.key("in-progress");
    const key = `${base}/object`;
    let release!: () => void;
    let reached!: () => void;
    const paused = new Promise<void>((resolve) => (reached = resolve));
    const upload = storage.putStream(
      key,
      chunks([patternBytes(1024, 1), patternBytes(1024, 2)], {
        at: 1,
        wait: new Promise<void>((resolve) => (release = resolve)),
        reached,
      }),
    );
    await paused;
    assert.equal(await storage.head(key), null);
    assert.deepEqual(await listAll(storage.list(`${base}/`)), []);
    release();
    assert.equal((await upload).size, 2048);
    assert.equal((await storage.head(key))?.size, 2048);
  });
}
