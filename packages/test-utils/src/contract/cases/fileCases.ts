import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import type { FileStorage, Storage } from "@flyte/storage-adapters";
import { AlreadyExistsError, isFileStorage, NotFoundError } from "@flyte/storage-adapters";

import type { ContractContext } from "../StorageContract.js";
import { patternBytes, sha256, text } from "../contractData.js";

/**
 * The local-file copies (`putFile`/`getToFile`), run only where the storage offers them; an
 * adapter that does not is reported as such, and must then offer neither half.
 */
export function fileCases(ctx: ContractContext): void {
  const { timeoutMs } = ctx;
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flyte-contract-file-"));
  });
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function fileStorage(): (Storage & FileStorage) | undefined {
    const storage = ctx.storage();
    return isFileStorage(storage) ? storage : undefined;
  }

  it(
    "offers both halves of the capability or neither",
    () => {
      const storage = ctx.storage();
      if (isFileStorage(storage)) return;
      const record = storage as unknown as Record<string, unknown>;
      // Half a capability would be worse than none: callers test for both methods.
      expect([typeof record["putFile"], typeof record["getToFile"]]).toEqual([
        "undefined",
        "undefined",
      ]);
      console.warn(
        `storage contract: ${storage.scheme}:// has no putFile/getToFile (unsupported: callers stream); its local-file cases pass vacuously`,
      );
    },
    timeoutMs,
  );

  it(
    "copies a local file in and out without changing a byte, and agrees with the other reads",
    async () => {
      const storage = fileStorage();
      if (!storage) return;
      const key = ctx.key("file-copy");
      const body = patternBytes(5 * 1024 * 1024 + 123, 31);
      const source = path.join(tmp, "source.bin");
      fs.writeFileSync(source, body);
      const put = await storage.putFile(key, source);
      expect(put.size).toBe(body.length);
      const head = await storage.head(key);
      expect(head?.size).toBe(body.length);
      if (put.etag !== undefined) expect(head?.etag).toBe(put.etag);
      expect(sha256(await storage.get(key))).toBe(sha256(body));
      const target = path.join(tmp, "target.bin");
      fs.writeFileSync(target, "an older, shorter local file");
      const got = await storage.getToFile(key, target);
      expect(got.size).toBe(body.length);
      if (head?.etag !== undefined) expect(got.etag).toBe(head.etag);
      expect(sha256(fs.readFileSync(target))).toBe(sha256(body));
      // Nothing is left beside the target (the copy is renamed into place).
      expect(fs.readdirSync(tmp).sort()).toEqual(["source.bin", "target.bin"]);
    },
    timeoutMs,
  );

  it(
    "onData sees exactly the bytes copied, in order, in both directions",
    async () => {
      const storage = fileStorage();
      if (!storage) return;
      const key = ctx.key("file-ondata");
      const body = patternBytes(7 * 1024 * 1024 + 999, 47);
      const source = path.join(tmp, "ondata.bin");
      fs.writeFileSync(source, body);
      const seen = (): { onData: (chunk: Uint8Array) => void; bytes: () => Buffer } => {
        const parts: Buffer[] = [];
        // Chunks are only valid during the call: copy them.
        return {
          onData: (chunk) => parts.push(Buffer.from(chunk)),
          bytes: () => Buffer.concat(parts),
        };
      };
      const up = seen();
      await storage.putFile(key, source, { onData: up.onData });
      expect(sha256(up.bytes())).toBe(sha256(body));
      const down = seen();
      const target = path.join(tmp, "ondata-back.bin");
      await storage.getToFile(key, target, { onData: down.onData });
      expect(sha256(down.bytes())).toBe(sha256(body));
      expect(sha256(fs.readFileSync(target))).toBe(sha256(body));
      // A throw from onData aborts the copy: nothing new is published.
      const other = path.join(tmp, "ondata-other.bin");
      fs.writeFileSync(other, "replacement");
      const refuse = (): void => {
        throw new Error("consumer refused");
      };
      await expect(storage.putFile(key, other, { onData: refuse })).rejects.toThrow(
        "consumer refused",
      );
      expect(sha256(await storage.get(key))).toBe(sha256(body));
    },
    timeoutMs,
  );

  it(
    "copies an empty file, and replaces an object whole",
    async () => {
      const storage = fileStorage();
      if (!storage) return;
      const key = ctx.key("file-empty");
      await storage.put(key, "something longer than nothing");
      const empty = path.join(tmp, "empty.bin");
      fs.writeFileSync(empty, "");
      expect((await storage.putFile(key, empty)).size).toBe(0);
      expect((await storage.get(key)).length).toBe(0);
      const back = path.join(tmp, "empty-back.bin");
      expect((await storage.getToFile(key, back)).size).toBe(0);
      expect(fs.readFileSync(back).length).toBe(0);
    },
    timeoutMs,
  );

  it(
    "putFile honours create-only, and a missing local file writes nothing",
    async () => {
      const storage = fileStorage();
      if (!storage) return;
      const key = ctx.key("file-create");
      const source = path.join(tmp, "create.bin");
      fs.writeFileSync(source, "first");
      await storage.putFile(key, source, { mode: "create" });
      fs.writeFileSync(source, "second");
      if (storage.capabilities.conditionalCreate) {
        await expect(storage.putFile(key, source, { mode: "create" })).rejects.toBeInstanceOf(
          AlreadyExistsError,
        );
      }
      expect(text(await storage.get(key))).toBe("first");
      const absent = ctx.key("file-from-missing");
      await expect(storage.putFile(absent, path.join(tmp, "no-such-file"))).rejects.toThrow();
      expect(await storage.head(absent)).toBeNull();
    },
    timeoutMs,
  );

  it(
    "getToFile of a missing key is NotFoundError and creates no local file",
    async () => {
      const storage = fileStorage();
      if (!storage) return;
      const local = path.join(tmp, "never");
      await expect(storage.getToFile(ctx.key("file-missing"), local)).rejects.toBeInstanceOf(
        NotFoundError,
      );
      expect(fs.existsSync(local)).toBe(false);
      expect(fs.readdirSync(tmp).filter((name) => name.includes("never"))).toEqual([]);
    },
    timeoutMs,
  );

  it(
    "an aborted putFile publishes nothing",
    async () => {
      const storage = fileStorage();
      if (!storage) return;
      const key = ctx.key("file-abort");
      const source = path.join(tmp, "abort.bin");
      fs.writeFileSync(source, patternBytes(64 * 1024, 5));
      const abort = new AbortController();
      abort.abort(new Error("stop"));
      await expect(storage.putFile(key, source, { signal: abort.signal })).rejects.toThrow();
      expect(await storage.head(key)).toBeNull();
    },
    timeoutMs,
  );
}
