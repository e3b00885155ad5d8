import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import type { Storage, SyncStorage } from "@flyte/storage-adapters";
import {
  AlreadyExistsError,
  isSyncStorage,
  NotFoundError,
  PreconditionFailedError,
  UnsupportedError,
} from "@flyte/storage-adapters";

import type { ContractContext } from "../StorageContract.js";
import { patternBytes, sha256, text } from "../contractData.js";

/** The blocking twins, run only when the storage says it has them. */
export function syncCases(ctx: ContractContext): void {
  const { timeoutMs } = ctx;
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flyte-contract-sync-"));
  });
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function syncStorage(): (Storage & SyncStorage) | undefined {
    const storage = ctx.storage();
    if (!storage.capabilities.sync) return undefined;
    expect(isSyncStorage(storage)).toBe(true);
    return storage as Storage & SyncStorage;
  }

  it(
    "sync twins round-trip and agree with the async view",
    async () => {
      const storage = syncStorage();
      if (!storage) return;
      const key = ctx.key("sync-bytes");
      const body = patternBytes(70_001, 4);
      expect(storage.putSync(key, body).size).toBe(body.length);
      expect(sha256(storage.getSync(key))).toBe(sha256(body));
      expect(sha256(await storage.get(key))).toBe(sha256(body));
      expect(storage.headSync(key)?.size).toBe(body.length);
      storage.putSync(key, "text");
      expect(text(storage.getSync(key))).toBe("text");
      await storage.put(key, "from async");
      expect(text(storage.getSync(key))).toBe("from async");
    },
    timeoutMs,
  );

  it(
    "sync twins report missing keys and delete idempotently",
    () => {
      const storage = syncStorage();
      if (!storage) return;
      const key = ctx.key("sync-missing");
      expect(storage.headSync(key)).toBeNull();
      expect(() => storage.getSync(key)).toThrow(NotFoundError);
      const local = path.join(tmp, "never");
      expect(() => storage.getToFileSync(key, local)).toThrow(NotFoundError);
      expect(fs.existsSync(local)).toBe(false);
      storage.putSync(key, "x");
      storage.deleteSync(key);
      expect(storage.headSync(key)).toBeNull();
      storage.deleteSync(key);
    },
    timeoutMs,
  );

  it(
    "sync twins honour create-only and compare-and-swap",
    () => {
      const storage = syncStorage();
      if (!storage) return;
      const key = ctx.key("sync-modes");
      const first = storage.putSync(key, "one");
      if (storage.capabilities.conditionalCreate) {
        expect(() => storage.putSync(key, "two", { mode: "create" })).toThrow(AlreadyExistsError);
      } else {
        expect(() => storage.putSync(key, "two", { mode: "create" })).toThrow(UnsupportedError);
      }
      expect(text(storage.getSync(key))).toBe("one");
      const etag = first.etag ?? "any-etag";
      if (!storage.capabilities.conditionalUpdate) {
        expect(() => storage.putSync(key, "three", { mode: { ifMatch: etag } })).toThrow(
          UnsupportedError,
        );
        expect(text(storage.getSync(key))).toBe("one");
        return;
      }
      const second = storage.putSync(key, "three", { mode: { ifMatch: etag } });
      expect(() => storage.putSync(key, "stale", { mode: { ifMatch: etag } })).toThrow(
        PreconditionFailedError,
      );
      expect(storage.headSync(key)?.etag).toBe(second.etag);
      expect(text(storage.getSync(key))).toBe("three");
    },
    timeoutMs,
  );

  it(
    "copies local files in and out without changing a byte",
    async () => {
      const storage = syncStorage();
      if (!storage) return;
      const key = ctx.key("sync-file");
      const body = patternBytes(3 * 1024 * 1024 + 17, 12);
      const source = path.join(tmp, "source.bin");
      fs.writeFileSync(source, body);
      expect(storage.putFileSync(key, source).size).toBe(body.length);
      expect(sha256(await storage.get(key))).toBe(sha256(body));
      const target = path.join(tmp, "target.bin");
      expect(storage.getToFileSync(key, target).size).toBe(body.length);
      expect(sha256(fs.readFileSync(target))).toBe(sha256(body));
      if (storage.capabilities.conditionalCreate) {
        expect(() => storage.putFileSync(key, source, { mode: "create" })).toThrow(
          AlreadyExistsError,
        );
      }
    },
    timeoutMs,
  );
}
