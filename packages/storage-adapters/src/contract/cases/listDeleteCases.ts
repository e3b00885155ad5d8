import assert from "node:assert/strict";

import type { ListEntry } from "../../Storage.js";
import { NotFoundError } from "../../errors.js";
import type { ContractContext } from "../StorageContract.js";
import { listAll } from "../contractData.js";

function label(entry: ListEntry): string {
  return "prefix" in entry ? `prefix:${entry.prefix}` : `object:${entry.key}:${entry.size}`;
}

/** Listing with prefix and delimiter, and idempotent delete. */
export function listDeleteCases(ctx: ContractContext): void {
  ctx.it("lists by prefix in key order, and folds sub-folders with a delimiter", async () => {
    const storage = ctx.storage();
    const base = ctx.key("list");
    const sizes: Record<string, number> = { a: 1, "b/c": 2, "b/d": 3, "e/f/g": 4, "a-z": 5 };
    for (const [name, size] of Object.entries(sizes))
      await storage.put(`${base}/${name}`, new Uint8Array(size));
    await storage.put(`${base}x/sibling`, "outside the folder");

    const flat = await listAll(storage.list(`${base}/`));
    assert.deepEqual(
      flat.map(label),
      ["a", "a-z", "b/c", "b/d", "e/f/g"].map((name) => `object:${base}/${name}:${sizes[name]}`),
    );

    const folded = await listAll(storage.list(`${base}/`, { delimiter: "/" }));
    assert.deepEqual(
      folded.map(label).sort(),
      [
        `object:${base}/a:1`,
        `object:${base}/a-z:5`,
        `prefix:${base}/b/`,
        `prefix:${base}/e/`,
      ].sort(),
    );

    // A prefix that ends inside a name matches names that start with it.
    assert.deepEqual((await listAll(storage.list(`${base}/b`))).map(label), [
      `object:${base}/b/c:2`,
      `object:${base}/b/d:3`,
    ]);
    assert.deepEqual(
      (await listAll(storage.list(base, { delimiter: "/" }))).map(label).sort(),
      [`prefix:${base}/`, `prefix:${base}x/`].sort(),
    );
    assert.deepEqual(await listAll(storage.list(`${base}/nothing-here/`)), []);
  });

  ctx.it("deletes idempotently", async () => {
    const storage = ctx.storage();
    const base = ctx.key("delete");
    await storage.put(`${base}/gone`, "x");
    await storage.put(`${base}/kept`, "y");
    await storage.delete(`${base}/gone`);
    assert.equal(await storage.head(`${base}/gone`), null);
    await assert.rejects(storage.get(`${base}/gone`), NotFoundError);
    await storage.delete(`${base}/gone`);
    await storage.delete(`${base}/never-existed`);
    assert.deepEqual((await listAll(storage.list(`${base}/`))).map(label), [
      `object:${base}/kept:1`,
    ]);
  });
}
