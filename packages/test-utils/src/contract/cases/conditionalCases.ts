import {
  AlreadyExistsError,
  NotFoundError,
  PreconditionFailedError,
  StorageError,
  UnsupportedError,
} from "@flyte/storage-adapters";
import type { PutMode } from "@flyte/storage-adapters";

import type { ContractContext } from "../StorageContract.js";
import { digestStream, patternStream, text } from "../contractData.js";

/** Exclusive create, compare-and-swap, and refusal of what a backend cannot honour. */
export function conditionalCases(ctx: ContractContext): void {
  const { timeoutMs } = ctx;

  it(
    "create-only on a new key writes; on an existing key it is refused and the content is unchanged",
    async () => {
      const storage = ctx.storage();
      const key = ctx.key("create");
      if (!storage.capabilities.conditionalCreate) {
        await storage.put(key, "original");
        await expect(storage.put(key, "intruder", { mode: "create" })).rejects.toBeInstanceOf(
          UnsupportedError,
        );
        expect(text(await storage.get(key))).toBe("original");
        return;
      }
      await storage.put(key, "original", { mode: "create" });
      const error = await storage.put(key, "intruder", { mode: "create" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AlreadyExistsError);
      expect((error as AlreadyExistsError).uri).toContain(key);
      await expect(
        storage.putStream(
          key,
          (async function* () {
            yield new TextEncoder().encode("streamed intruder");
          })(),
          { mode: "create" },
        ),
      ).rejects.toBeInstanceOf(AlreadyExistsError);
      expect(text(await storage.get(key))).toBe("original");
    },
    timeoutMs,
  );

  it(
    "create-only with a large (multipart-sized) stream stays exclusive",
    async () => {
      const storage = ctx.storage();
      if (!storage.capabilities.conditionalCreate) return;
      const key = ctx.key("create-large");
      await storage.put(key, "small original");
      const intruder = patternStream(ctx.largeBytes, 11);
      await expect(
        storage.putStream(key, intruder.body, { mode: "create" }),
      ).rejects.toBeInstanceOf(AlreadyExistsError);
      expect(text(await storage.get(key))).toBe("small original");

      // Two large racers on a fresh key: exactly one wins, and what is stored is the winner's.
      const fresh = ctx.key("create-large-race");
      const racers = [21, 22].map((seed) => patternStream(ctx.largeBytes, seed));
      const results = await Promise.allSettled(
        racers.map((r) => storage.putStream(fresh, r.body, { mode: "create" })),
      );
      const winners = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
      expect(winners).toHaveLength(1);
      for (const r of results)
        if (r.status === "rejected") expect(r.reason).toBeInstanceOf(AlreadyExistsError);
      const stored = await digestStream(await storage.getStream(fresh));
      expect(stored.sha256).toBe(racers[winners[0]!]!.sha256());
    },
    timeoutMs,
  );

  it(
    "lets exactly one of the concurrent create-only racers win",
    async () => {
      const storage = ctx.storage();
      if (!storage.capabilities.conditionalCreate) return;
      const key = ctx.key("race");
      const results = await Promise.allSettled(
        Array.from({ length: ctx.racers }, (_, i) =>
          storage.put(key, `racer ${i}`, { mode: "create" }),
        ),
      );
      const winners = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
      expect(winners).toHaveLength(1);
      for (const r of results)
        if (r.status === "rejected") expect(r.reason).toBeInstanceOf(AlreadyExistsError);
      expect(text(await storage.get(key))).toBe(`racer ${winners[0]}`);
    },
    timeoutMs,
  );

  it(
    "compare-and-swap succeeds on the current etag and refuses a stale one",
    async () => {
      const storage = ctx.storage();
      const key = ctx.key("cas");
      const first = await storage.put(key, "version one");
      if (!storage.capabilities.conditionalUpdate) {
        const etag = first.etag ?? (await storage.head(key))?.etag ?? "any-etag";
        await expect(
          storage.put(key, "swapped", { mode: { ifMatch: etag } }),
        ).rejects.toBeInstanceOf(UnsupportedError);
        expect(text(await storage.get(key))).toBe("version one");
        return;
      }
      expect(first.etag).toEqual(expect.any(String));
      expect((await storage.head(key))?.etag).toBe(first.etag);
      const second = await storage.put(key, "version two", { mode: { ifMatch: first.etag! } });
      expect(second.etag).toEqual(expect.any(String));
      expect(second.etag).not.toBe(first.etag);
      const stale = await storage
        .put(key, "stale", { mode: { ifMatch: first.etag! } })
        .catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(PreconditionFailedError);
      expect((stale as PreconditionFailedError).uri).toContain(key);
      expect(text(await storage.get(key))).toBe("version two");

      // Same size, new content: the old etag must still be stale (no ABA).
      const third = await storage.put(key, "version 3!!");
      expect(third.etag).not.toBe(second.etag);
      await expect(
        storage.put(key, "late", { mode: { ifMatch: second.etag! } }),
      ).rejects.toBeInstanceOf(PreconditionFailedError);

      // On a missing key there is nothing to match.
      const missing = ctx.key("cas-missing");
      const onMissing = await storage
        .put(missing, "x", { mode: { ifMatch: first.etag! } })
        .catch((e: unknown) => e);
      expect(
        [PreconditionFailedError, NotFoundError].some((type) => onMissing instanceof type),
      ).toBe(true);
      expect(await storage.head(missing)).toBeNull();
    },
    timeoutMs,
  );

  it(
    "lets exactly one of the concurrent compare-and-swap racers win",
    async () => {
      const storage = ctx.storage();
      if (!storage.capabilities.conditionalUpdate) return;
      const key = ctx.key("cas-race");
      const { etag } = await storage.put(key, "base");
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          storage.put(key, `swap ${i}`, { mode: { ifMatch: etag! } }),
        ),
      );
      const winners = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
      expect(winners).toHaveLength(1);
      for (const r of results)
        if (r.status === "rejected") expect(r.reason).toBeInstanceOf(PreconditionFailedError);
      expect(text(await storage.get(key))).toBe(`swap ${winners[0]}`);
    },
    timeoutMs,
  );

  it(
    "refuses an unknown put mode without touching the object",
    async () => {
      const storage = ctx.storage();
      const key = ctx.key("bad-mode");
      await storage.put(key, "kept");
      for (const mode of [
        "append",
        { ifNoneMatch: "*" },
        { ifMatch: "" },
      ] as unknown as PutMode[]) {
        await expect(storage.put(key, "clobbered", { mode })).rejects.toBeInstanceOf(StorageError);
      }
      expect(text(await storage.get(key))).toBe("kept");
    },
    timeoutMs,
  );
}
