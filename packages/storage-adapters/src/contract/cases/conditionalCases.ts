import assert from "node:assert/strict";

import type { PutMode } from "../../Storage.js";
import {
  AlreadyExistsError,
  NotFoundError,
  PreconditionFailedError,
  StorageError,
  UnsupportedError,
} from "../../errors.js";
import type { ContractContext } from "../StorageContract.js";
import { digestStream, patternStream, text } from "../contractData.js";

/** The indexes of the fulfilled results; every rejected one must be an instance of `loser`. */
function winnersOf(
  results: PromiseSettledResult<unknown>[],
  loser: abstract new (...args: never[]) => Error,
): number[] {
  for (const r of results) {
    if (r.status === "rejected")
      assert.ok(
        r.reason instanceof loser,
        `a loser failed with ${String(r.reason)}, not ${loser.name}`,
      );
  }
  return results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
}

/** Exclusive create, compare-and-swap, and refusal of what a backend cannot honour. */
export function conditionalCases(ctx: ContractContext): void {
  ctx.it(
    "create-only on a new key writes; on an existing key it is refused and the content is unchanged",
    async () => {
      const storage = ctx.storage();
      const key = ctx.key("create");
      if (!storage.capabilities.conditionalCreate) {
        await storage.put(key, "original");
        await assert.rejects(storage.put(key, "intruder", { mode: "create" }), UnsupportedError);
        assert.equal(text(await storage.get(key)), "original");
        return;
      }
      await storage.put(key, "original", { mode: "create" });
      const error = await storage.put(key, "intruder", { mode: "create" }).catch((e: unknown) => e);
      assert.ok(
        error instanceof AlreadyExistsError,
        `expected AlreadyExistsError, got ${String(error)}`,
      );
      assert.ok(error.uri.includes(key), `the URI ${error.uri} names ${key}`);
      await assert.rejects(
        storage.putStream(
          key,
          (async function* () {
            yield new TextEncoder().encode("streamed intruder");
          })(),
          { mode: "create" },
        ),
        AlreadyExistsError,
      );
      assert.equal(text(await storage.get(key)), "original");
    },
  );

  ctx.it("create-only with a large (multipart-sized) stream stays exclusive", async () => {
    const storage = ctx.storage();
    if (!storage.capabilities.conditionalCreate) return;
    const key = ctx.key("create-large");
    await storage.put(key, "small original");
    const intruder = patternStream(ctx.largeBytes, 11);
    await assert.rejects(
      storage.putStream(key, intruder.body, { mode: "create" }),
      AlreadyExistsError,
    );
    assert.equal(text(await storage.get(key)), "small original");

    // Two large racers on a fresh key: exactly one wins, and what is stored is the winner's.
    const fresh = ctx.key("create-large-race");
    const racers = [21, 22].map((seed) => patternStream(ctx.largeBytes, seed));
    const results = await Promise.allSettled(
      racers.map((r) => storage.putStream(fresh, r.body, { mode: "create" })),
    );
    const winners = winnersOf(results, AlreadyExistsError);
    assert.equal(winners.length, 1, `winners: ${winners.join(", ")}`);
    const stored = await digestStream(await storage.getStream(fresh));
    assert.equal(stored.sha256, racers[winners[0]!]!.sha256());
  });

  ctx.it("lets exactly one of the concurrent create-only racers win", async () => {
    const storage = ctx.storage();
    if (!storage.capabilities.conditionalCreate) return;
    const key = ctx.key("race");
    const results = await Promise.allSettled(
      Array.from({ length: ctx.racers }, (_, i) =>
        storage.put(key, `racer ${i}`, { mode: "create" }),
      ),
    );
    const winners = winnersOf(results, AlreadyExistsError);
    assert.equal(winners.length, 1, `winners: ${winners.join(", ")}`);
    assert.equal(text(await storage.get(key)), `racer ${winners[0]}`);
  });

  ctx.it("compare-and-swap succeeds on the current etag and refuses a stale one", async () => {
    const storage = ctx.storage();
    const key = ctx.key("cas");
    const first = await storage.put(key, "version one");
    if (!storage.capabilities.conditionalUpdate) {
      const etag = first.etag ?? (await storage.head(key))?.etag ?? "any-etag";
      await assert.rejects(
        storage.put(key, "swapped", { mode: { ifMatch: etag } }),
        UnsupportedError,
      );
      assert.equal(text(await storage.get(key)), "version one");
      return;
    }
    assert.equal(typeof first.etag, "string");
    assert.equal((await storage.head(key))?.etag, first.etag);
    const second = await storage.put(key, "version two", { mode: { ifMatch: first.etag! } });
    assert.equal(typeof second.etag, "string");
    assert.notEqual(second.etag, first.etag);
    const stale = await storage
      .put(key, "stale", { mode: { ifMatch: first.etag! } })
      .catch((e: unknown) => e);
    assert.ok(
      stale instanceof PreconditionFailedError,
      `expected PreconditionFailedError, got ${String(stale)}`,
    );
    assert.ok(stale.uri.includes(key), `the URI ${stale.uri} names ${key}`);
    assert.equal(text(await storage.get(key)), "version two");

    // Same size, new content: the old etag must still be stale (no ABA).
    const third = await storage.put(key, "version 3!!");
    assert.notEqual(third.etag, second.etag);
    await assert.rejects(
      storage.put(key, "late", { mode: { ifMatch: second.etag! } }),
      PreconditionFailedError,
    );

    // On a missing key there is nothing to match.
    const missing = ctx.key("cas-missing");
    const onMissing = await storage
      .put(missing, "x", { mode: { ifMatch: first.etag! } })
      .catch((e: unknown) => e);
    assert.ok(
      onMissing instanceof PreconditionFailedError || onMissing instanceof NotFoundError,
      `expected PreconditionFailedError or NotFoundError, got ${String(onMissing)}`,
    );
    assert.equal(await storage.head(missing), null);
  });

  ctx.it("lets exactly one of the concurrent compare-and-swap racers win", async () => {
    const storage = ctx.storage();
    if (!storage.capabilities.conditionalUpdate) return;
    const key = ctx.key("cas-race");
    const { etag } = await storage.put(key, "base");
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        storage.put(key, `swap ${i}`, { mode: { ifMatch: etag! } }),
      ),
    );
    const winners = winnersOf(results, PreconditionFailedError);
    assert.equal(winners.length, 1, `winners: ${winners.join(", ")}`);
    assert.equal(text(await storage.get(key)), `swap ${winners[0]}`);
  });

  ctx.it("refuses an unknown put mode without touching the object", async () => {
    const storage = ctx.storage();
    const key = ctx.key("bad-mode");
    await storage.put(key, "kept");
    for (const mode of ["append", { ifNoneMatch: "*" }, { ifMatch: "" }] as unknown as PutMode[]) {
      await assert.rejects(storage.put(key, "clobbered", { mode }), StorageError);
    }
    assert.equal(text(await storage.get(key)), "kept");
  });
}
