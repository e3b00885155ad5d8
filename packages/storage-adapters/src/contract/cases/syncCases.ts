import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { Storage, SyncStorage } from "../../Storage.js";
import {
  AlreadyExistsError,
  NotFoundError,
  PreconditionFailedError,
  UnsupportedError,
} from "../../errors.js";
import { isSyncStorage } from "../../isSyncStorage.js";
import type { ContractContext } from "../StorageContract.js";
import { patternBytes, sha256, text } from "../contractData.js";

/** The blocking twins, run only when the storage says it has them. */
export function syncCases(ctx: ContractContext): void {
  let tmp: string;
  ctx.beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flyte-contract-sync-"));
  });
  ctx.afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function syncStorage(): (Storage & SyncStorage) | undefined {
    const storage = ctx.storage();
    if (!storage.capabilities.sync) return undefined;
    assert.equal(isSyncStorage(storage), true);
    return storage as Storage & SyncStorage;
  }

  ctx.it("sync twins round-trip and agree with the async view", async () => {
    const storage = syncStorage();
    if (!storage) return;
    const key = ctx.key("sync-bytes");
    const body = patternBytes(70_001, 4);
    assert.equal(storage.putSync(key, body).size, body.length);
    assert.equal(sha256(storage.getSync(key)), sha256(body));
    assert.equal(sha256(await storage.get(key)), sha256(body));
    assert.equal(storage.headSync(key)?.size, body.length);
    storage.putSync(key, "text");
    assert.equal(text(storage.getSync(key)), "text");
    await storage.put(key, "from async");
    assert.equal(text(storage.getSync(key)), "from async");
  });

  ctx.it("sync twins report missing keys and delete idempotently", () => {
    const storage = syncStorage();
    if (!storage) return;
    const key = ctx.key("sync-missing");
    assert.equal(storage.headSync(key), null);
    assert.throws(() => storage.getSync(key), NotFoundError);
    const local = path.join(tmp, "never");
    assert.throws(() => storage.getToFileSync(key, local), NotFoundError);
    assert.equal(fs.existsSync(local), false);
    storage.putSync(key, "x");
    storage.deleteSync(key);
    assert.equal(storage.headSync(key), null);
    storage.deleteSync(key);
  });

  ctx.it("sync twins honour create-only and compare-and-swap", () => {
    const storage = syncStorage();
    if (!storage) return;
    const key = ctx.key("sync-modes");
    const first = storage.putSync(key, "one");
    if (storage.capabilities.conditionalCreate) {
      assert.throws(() => storage.putSync(key, "two", { mode: "create" }), AlreadyExistsError);
    } else {
      assert.throws(() => storage.putSync(key, "two", { mode: "create" }), UnsupportedError);
    }
    assert.equal(text(storage.getSync(key)), "one");
    const etag = first.etag ?? "any-etag";
    if (!storage.capabilities.conditionalUpdate) {
      assert.throws(
        () => storage.putSync(key, "three", { mode: { ifMatch: etag } }),
        UnsupportedError,
      );
      assert.equal(text(storage.getSync(key)), "one");
      return;
    }
    const second = storage.putSync(key, "three", { mode: { ifMatch: etag } });
    assert.throws(
      () => storage.putSync(key, "stale", { mode: { ifMatch: etag } }),
      PreconditionFailedError,
    );
    assert.equal(storage.headSync(key)?.etag, second.etag);
    assert.equal(text(storage.getSync(key)), "three");
  });

  ctx.it("copies local files in and out without changing a byte", async () => {
    const storage = syncStorage();
    if (!storage) return;
    const key = ctx.key("sync-file");
    const body = patternBytes(3 * 1024 * 1024 + 17, 12);
    const source = path.join(tmp, "source.bin");
    fs.writeFileSync(source, body);
    assert.equal(storage.putFileSync(key, source).size, body.length);
    assert.equal(sha256(await storage.get(key)), sha256(body));
    const target = path.join(tmp, "target.bin");
    assert.equal(storage.getToFileSync(key, target).size, body.length);
    assert.equal(sha256(fs.readFileSync(target)), sha256(body));
    if (storage.capabilities.conditionalCreate) {
      assert.throws(() => storage.putFileSync(key, source, { mode: "create" }), AlreadyExistsError);
    }
  });
}
