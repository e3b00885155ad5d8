/**
 * The posix adapter's local-file copies (`putFile`/`getToFile` and the sync twins) beyond the
 * shared contract: on the disk they go through `fs.copyFile`, which gives the copy the source's
 * mode and opens the object again by path, so the adapter puts the mode back and checks that
 * what it copied is the version it reports. Real disk, real memfs, no mocks.
 */
import * as nodeFs from "node:fs";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memfs } from "memfs";
import { PosixStorage, isFileStorage, withRetry } from "@flyte/storage-adapters";
import type { PosixFs } from "@flyte/storage-adapters";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "flyte-filecopy-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const umask = process.umask();
const fresh = 0o666 & ~umask;
const modeOf = (path: string): number => statSync(path).mode & 0o777;

/** Object `v` of the overwrite check: its size and every byte name the version. */
const version = (v: number): Uint8Array => new Uint8Array(256 * 1024 + v * 4099).fill(v);
const isWhole = (bytes: Uint8Array): boolean =>
  bytes.length === 256 * 1024 + bytes[0]! * 4099 && bytes.every((b) => b === bytes[0]);

describe("posix adapter on the disk", () => {
  const disk = (): PosixStorage => new PosixStorage({ fs: nodeFs, root: join(dir, "store") });

  it("gives copied files the mode every write gets, not the source's (async and sync)", async () => {
    const storage = disk();
    const source = join(dir, "exec.bin");
    writeFileSync(source, "#!/bin/sh\n");
    chmodSync(source, 0o750);
    await storage.putFile("modes/a", source);
    storage.putFileSync("modes/b", source);
    expect(modeOf(join(dir, "store", "modes", "a"))).toBe(fresh);
    expect(modeOf(join(dir, "store", "modes", "b"))).toBe(fresh);
    chmodSync(join(dir, "store", "modes", "a"), 0o700);
    await storage.getToFile("modes/a", join(dir, "a.out"));
    storage.getToFileSync("modes/a", join(dir, "b.out"));
    expect(modeOf(join(dir, "a.out"))).toBe(fresh);
    expect(modeOf(join(dir, "b.out"))).toBe(fresh);
    expect(readFileSync(join(dir, "b.out"), "utf8")).toBe("#!/bin/sh\n");
  });

  it("a missing local file fails naming its own file:// URI, before any temp file exists", async () => {
    const storage = disk();
    const missing = join(dir, "no-such.bin");
    await expect(storage.putFile("missing/a", missing)).rejects.toMatchObject({
      code: "NOT_FOUND",
      uri: `file://${missing}`,
    });
    expect(() => storage.putFileSync("missing/a", missing)).toThrow(
      expect.objectContaining({ uri: `file://${missing}` }),
    );
    expect(await storage.head("missing/a")).toBeNull();
  });

  it("getToFile during repeated overwrites copies whole versions and reports the one it copied", async () => {
    const storage = disk();
    const key = "race/obj";
    await storage.put(key, version(1));
    let writing = true;
    const writer = (async () => {
      try {
        for (let v = 2; v <= 40; v++) await storage.put(key, version(v));
      } finally {
        writing = false;
      }
    })();
    const bad: string[] = [];
    let copies = 0;
    while (writing || copies < 2) {
      const target = join(dir, `race-${copies % 2}.bin`);
      const sync = copies % 3 === 0;
      let meta;
      try {
        meta = sync ? storage.getToFileSync(key, target) : await storage.getToFile(key, target);
      } catch (error) {
        // Replaced while copying on every try: a TransientError, never a wrong copy.
        expect((error as { code?: string }).code).toBe("TRANSIENT");
        continue;
      }
      copies++;
      const bytes = readFileSync(target);
      if (!isWhole(bytes)) bad.push(`partial copy of ${bytes.length} bytes`);
      else if (meta.size !== bytes.length)
        bad.push(`meta says ${meta.size}, copy has ${bytes.length}`);
    }
    await writer;
    expect(bad).toEqual([]);
  });

  it("is a FileStorage, and withRetry keeps the capability", async () => {
    const storage = disk();
    expect(isFileStorage(storage)).toBe(true);
    const retried = withRetry(storage);
    expect(isFileStorage(retried)).toBe(true);
    const source = join(dir, "retry.bin");
    writeFileSync(source, "via retry");
    if (!isFileStorage(retried)) return;
    await retried.putFile("retry/a", source);
    await retried.getToFile("retry/a", join(dir, "retry.out"));
    expect(readFileSync(join(dir, "retry.out"), "utf8")).toBe("via retry");
  });
});

describe("posix adapter over memfs", () => {
  it("copies between the real disk and the in-memory volume through a buffer", async () => {
    const mem = memfs().fs;
    const volume = mem as unknown as PosixFs;
    const storage = new PosixStorage({
      fs: volume,
      root: "/v",
      scheme: "memory",
      singleProcess: true,
    });
    const source = join(dir, "to-memfs.bin");
    const body = new Uint8Array(3 * 1024 * 1024 + 5).map((_, i) => (i * 7) & 0xff);
    writeFileSync(source, body);
    const put = await storage.putFile("m/a", source);
    expect(put.size).toBe(body.length);
    // The object lives on the volume, not on the disk.
    expect(Buffer.from(mem.readFileSync("/v/m/a") as Uint8Array).equals(Buffer.from(body))).toBe(
      true,
    );
    expect(nodeFs.existsSync("/v/m/a")).toBe(false);
    await storage.getToFile("m/a", join(dir, "from-memfs.bin"));
    expect(readFileSync(join(dir, "from-memfs.bin")).equals(Buffer.from(body))).toBe(true);
    storage.putFileSync("m/b", source);
    storage.getToFileSync("m/b", join(dir, "from-memfs-sync.bin"));
    expect(readFileSync(join(dir, "from-memfs-sync.bin")).equals(Buffer.from(body))).toBe(true);
  });
});
