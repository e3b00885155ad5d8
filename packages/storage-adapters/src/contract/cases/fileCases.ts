import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { FileStorage, Storage } from "../../Storage.js";
import { AlreadyExistsError, NotFoundError } from "../../errors.js";
import { isFileStorage } from "../../isFileStorage.js";

import type { ContractContext } from "../StorageContract.js";
import { folderNames, patternBytes, sha256, text } from "../contractData.js";

/**
 * The local-file copies (`putFile`/`getToFile`), run only where the storage offers them; an
 * adapter that does not is reported as such, and must then offer neither half.
 */
export function fileCases(ctx: ContractContext): void {
  let tmp: string;
  ctx.beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "flyte-contract-file-"));
  });
  ctx.afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function fileStorage(): (Storage & FileStorage) | undefined {
    const storage = ctx.storage();
    return isFileStorage(storage) ? storage : undefined;
  }

  ctx.it("offers both halves of the capability or neither", () => {
    const storage = ctx.storage();
    if (isFileStorage(storage)) return;
    const record = storage as unknown as Record<string, unknown>;
    // Half a capability would be worse than none: callers test for both methods.
    assert.deepEqual(
      [typeof record["putFile"], typeof record["getToFile"]],
      ["undefined", "undefined"],
    );
    console.warn(
      `storage contract: ${storage.scheme}:// has no putFile/getToFile (unsupported: callers stream); its local-file cases pass vacuously`,
    );
  });

  ctx.it(
    "copies a local file in and out without changing a byte, and agrees with the other reads",
    async () => {
      const storage = fileStorage();
      if (!storage) return;
      const key = ctx.key("file-copy");
      const body = patternBytes(5 * 1024 * 1024 + 123, 31);
      const source = path.join(tmp, "source.bin");
      fs.writeFileSync(source, body);
      const put = await storage.putFile(key, source);
      assert.equal(put.size, body.length);
      const head = await storage.head(key);
      assert.equal(head?.size, body.length);
      if (put.etag !== undefined) assert.equal(head?.etag, put.etag);
      assert.equal(sha256(await storage.get(key)), sha256(body));
      const target = path.join(tmp, "target.bin");
      fs.writeFileSync(target, "an older, shorter local file");
      const got = await storage.getToFile(key, target);
      assert.equal(got.size, body.length);
      if (head?.etag !== undefined) assert.equal(got.etag, head.etag);
      assert.equal(sha256(fs.readFileSync(target)), sha256(body));
      // Nothing is left beside the target (the copy is renamed into place).
      assert.deepEqual(folderNames(tmp), ["source.bin", "target.bin"]);
    },
  );

  ctx.it("onData sees exactly the bytes copied, in order, in both directions", async () => {
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
    assert.equal(sha256(up.bytes()), sha256(body));
    const down = seen();
    const target = path.join(tmp, "ondata-back.bin");
    await storage.getToFile(key, target, { onData: down.onData });
    assert.equal(sha256(down.bytes()), sha256(body));
    assert.equal(sha256(fs.readFileSync(target)), sha256(body));
    // A throw from onData aborts the copy: nothing new is published.
    const other = path.join(tmp, "ondata-other.bin");
    fs.writeFileSync(other, "replacement");
    const refuse = (): void => {
      throw new Error("consumer refused");
    };
    await assert.rejects(storage.putFile(key, other, { onData: refuse }), /consumer refused/);
    assert.equal(sha256(await storage.get(key)), sha256(body));
  });

  ctx.it("copies an empty file, and replaces an object whole", async () => {
    const storage = fileStorage();
    if (!storage) return;
    const key = ctx.key("file-empty");
    await storage.put(key, "something longer than nothing");
    const empty = path.join(tmp, "empty.bin");
    fs.writeFileSync(empty, "");
    assert.equal((await storage.putFile(key, empty)).size, 0);
    assert.equal((await storage.get(key)).length, 0);
    const back = path.join(tmp, "empty-back.bin");
    assert.equal((await storage.getToFile(key, back)).size, 0);
    assert.equal(fs.readFileSync(back).length, 0);
  });

  ctx.it("putFile honours create-only, and a missing local file writes nothing", async () => {
    const storage = fileStorage();
    if (!storage) return;
    const key = ctx.key("file-create");
    const source = path.join(tmp, "create.bin");
    fs.writeFileSync(source, "first");
    await storage.putFile(key, source, { mode: "create" });
    fs.writeFileSync(source, "second");
    if (storage.capabilities.conditionalCreate) {
      await assert.rejects(storage.putFile(key, source, { mode: "create" }), AlreadyExistsError);
    }
    assert.equal(text(await storage.get(key)), "first");
    const absent = ctx.key("file-from-missing");
    await assert.rejects(storage.putFile(absent, path.join(tmp, "no-such-file")), NotFoundError);
    assert.equal(await storage.head(absent), null);
  });

  ctx.it("getToFile of a missing key is NotFoundError and creates no local file", async () => {
    const storage = fileStorage();
    if (!storage) return;
    const local = path.join(tmp, "never");
    await assert.rejects(storage.getToFile(ctx.key("file-missing"), local), NotFoundError);
    assert.equal(fs.existsSync(local), false);
    assert.deepEqual(
      folderNames(tmp).filter((name) => name.includes("never")),
      [],
    );
  });
}
