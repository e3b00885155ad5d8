import type { ListEntry } from "@flyte/storage-adapters";
import { NotFoundError } from "@flyte/storage-adapters";

import type { ContractContext } from "../StorageContract.js";

async function listAll(iterable: AsyncIterable<ListEntry>): Promise<ListEntry[]> {
  const out: ListEntry[] = [];
  for await (const entry of iterable) out.push(entry);
  return out;
}

function label(entry: ListEntry): string {
  return "prefix" in entry ? `prefix:${entry.prefix}` : `object:${entry.key}:${entry.size}`;
}

/** Listing with prefix and delimiter, and idempotent delete. */
export function listDeleteCases(ctx: ContractContext): void {
  const { timeoutMs } = ctx;

  it(
    "lists by prefix in key order, and folds sub-folders with a delimiter",
    async () => {
      const storage = ctx.storage();
      const base = ctx.key("list");
      const sizes: Record<string, number> = { a: 1, "b/c": 2, "b/d": 3, "e/f/g": 4, "a-z": 5 };
      for (const [name, size] of Object.entries(sizes))
        await storage.put(`${base}/${name}`, new Uint8Array(size));
      await storage.put(`${base}x/sibling`, "outside the folder");

      const flat = await listAll(storage.list(`${base}/`));
      expect(flat.map(label)).toEqual(
        ["a", "a-z", "b/c", "b/d", "e/f/g"].map((name) => `object:${base}/${name}:${sizes[name]}`),
      );

      const folded = await listAll(storage.list(`${base}/`, { delimiter: "/" }));
      expect(folded.map(label).sort()).toEqual(
        [
          `object:${base}/a:1`,
          `object:${base}/a-z:5`,
          `prefix:${base}/b/`,
          `prefix:${base}/e/`,
        ].sort(),
      );

      // A prefix that ends inside a name matches names that start with it.
      expect((await listAll(storage.list(`${base}/b`))).map(label)).toEqual([
        `object:${base}/b/c:2`,
        `object:${base}/b/d:3`,
      ]);
      expect((await listAll(storage.list(base, { delimiter: "/" }))).map(label).sort()).toEqual(
        [`prefix:${base}/`, `prefix:${base}x/`].sort(),
      );
      expect(await listAll(storage.list(`${base}/nothing-here/`))).toEqual([]);
    },
    timeoutMs,
  );

  it(
    "deletes idempotently",
    async () => {
      const storage = ctx.storage();
      const base = ctx.key("delete");
      await storage.put(`${base}/gone`, "x");
      await storage.put(`${base}/kept`, "y");
      await storage.delete(`${base}/gone`);
      expect(await storage.head(`${base}/gone`)).toBeNull();
      await expect(storage.get(`${base}/gone`)).rejects.toBeInstanceOf(NotFoundError);
      await storage.delete(`${base}/gone`);
      await storage.delete(`${base}/never-existed`);
      expect((await listAll(storage.list(`${base}/`))).map(label)).toEqual([
        `object:${base}/kept:1`,
      ]);
    },
    timeoutMs,
  );
}
