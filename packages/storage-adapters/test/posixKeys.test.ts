import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { memfs } from "memfs";

import type { PosixFs } from "@flyte/storage-adapters";
import { InvalidKeyError, PosixStorage, resolveStorage } from "@flyte/storage-adapters";

/** Every way out of the root, tried on the disk and on memfs through the same adapter. */
const volumes: Array<
  [string, () => { fs: PosixFs; root: string; outside: string; cleanup(): void }]
> = [
  [
    "disk",
    () => {
      const base = fs.mkdtempSync(path.join(os.tmpdir(), "flyte-keys-"));
      fs.mkdirSync(path.join(base, "root"));
      fs.mkdirSync(path.join(base, "outside"));
      return {
        fs,
        root: path.join(base, "root"),
        outside: path.join(base, "outside"),
        cleanup: () => fs.rmSync(base, { recursive: true, force: true }),
      };
    },
  ],
  [
    "memfs",
    () => {
      const volume = memfs().fs as unknown as PosixFs & typeof fs;
      volume.mkdirSync("/root", { recursive: true });
      volume.mkdirSync("/outside", { recursive: true });
      return { fs: volume, root: "/root", outside: "/outside", cleanup: () => undefined };
    },
  ],
];

describe.each(volumes)("posix keys on %s", (_name, make) => {
  let env: ReturnType<typeof make>;
  let storage: PosixStorage;
  const raw = () => env.fs as unknown as typeof fs;

  beforeEach(() => {
    env = make();
    raw().writeFileSync(path.join(env.outside, "secret"), "outside the root");
    storage = new PosixStorage({ fs: env.fs, root: env.root });
  });
  afterEach(() => env.cleanup());

  async function refusedEverywhere(key: string, reason: RegExp): Promise<void> {
    await expect(storage.put(key, "x")).rejects.toThrow(InvalidKeyError);
    await expect(storage.get(key)).rejects.toThrow(reason);
    await expect(storage.head(key)).rejects.toThrow(InvalidKeyError);
    await expect(storage.delete(key)).rejects.toThrow(InvalidKeyError);
    expect(() => storage.putSync(key, "x")).toThrow(InvalidKeyError);
    expect(() => storage.getSync(key)).toThrow(reason);
  }

  it("refuses `..` segments, whatever they would resolve to", async () => {
    await refusedEverywhere("../outside/secret", /`\.\.` segment/);
    await refusedEverywhere("a/../../outside/secret", /`\.\.` segment/);
    await refusedEverywhere("a/../b", /`\.\.` segment/);
    expect(raw().readFileSync(path.join(env.outside, "secret"), "utf8")).toBe("outside the root");
  });

  it("refuses absolute keys", async () => {
    await refusedEverywhere(path.join(env.outside, "secret"), /absolute path/);
  });

  it("refuses NUL bytes", async () => {
    await refusedEverywhere("a\0b", /NUL byte/);
  });

  it("refuses empty keys, empty segments, `.` segments, folder keys and reserved temp names", async () => {
    await refusedEverywhere("", /empty/);
    await refusedEverywhere("a//b", /empty segment/);
    await refusedEverywhere("./a", /`\.` segment/);
    await refusedEverywhere("a/", /ends with/);
    await refusedEverywhere("a/.flyte-tmp.0123", /reserved/);
  });

  it("refuses a symlinked folder that leads outside, for reads and writes", async () => {
    raw().symlinkSync(env.outside, path.join(env.root, "escape"));
    const error = await storage.get("escape/secret").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidKeyError);
    expect((error as InvalidKeyError).message).toMatch(/outside the storage root/);
    expect((error as InvalidKeyError).uri).toContain("escape/secret");
    await refusedEverywhere("escape/secret", /outside the storage root/);
    await expect(storage.put("escape/new/deeper", "x")).rejects.toThrow(/outside the storage root/);
    expect(raw().existsSync(path.join(env.outside, "new"))).toBe(false);
    expect(raw().readFileSync(path.join(env.outside, "secret"), "utf8")).toBe("outside the root");
    const listed: unknown[] = [];
    await expect(
      (async () => {
        for await (const entry of storage.list("escape/")) listed.push(entry);
      })(),
    ).rejects.toThrow(InvalidKeyError);
  });

  it("refuses a symlinked file that leads outside, and never writes through it", async () => {
    raw().symlinkSync(path.join(env.outside, "secret"), path.join(env.root, "link"));
    await expect(storage.get("link")).rejects.toThrow(/outside the storage root/);
    await expect(storage.head("link")).rejects.toThrow(InvalidKeyError);
    expect(() => storage.getSync("link")).toThrow(InvalidKeyError);
    // Writing replaces the link itself (rename does not follow it); the outside file is untouched.
    await storage.put("link", "replaced");
    expect(raw().readFileSync(path.join(env.outside, "secret"), "utf8")).toBe("outside the root");
    expect((await storage.get("link")).toString()).toBe("replaced");
    // A listing does not show links that lead out.
    raw().symlinkSync(path.join(env.outside, "secret"), path.join(env.root, "link2"));
    const keys: string[] = [];
    for await (const entry of storage.list("")) if ("key" in entry) keys.push(entry.key);
    expect(keys).toEqual(["link"]);
  });

  it("follows symbolic links that stay inside the root", async () => {
    await storage.put("real/data", "inside");
    raw().symlinkSync(path.join(env.root, "real"), path.join(env.root, "alias"));
    expect((await storage.get("alias/data")).toString()).toBe("inside");
    await storage.put("alias/more", "through the alias");
    expect((await storage.get("real/more")).toString()).toBe("through the alias");
  });

  it("creates the root on the first write and leaves no temp files behind", async () => {
    const deeper = new PosixStorage({ fs: env.fs, root: path.join(env.root, "not", "yet") });
    expect(await deeper.head("k")).toBeNull();
    await deeper.put("k", "v");
    await expect(deeper.put("k", "w", { mode: "create" })).rejects.toThrow(/already exists/);
    await expect(
      deeper.putStream(
        "k2",
        (async function* () {
          yield new Uint8Array(10);
          throw new Error("boom");
        })(),
      ),
    ).rejects.toThrow("boom");
    expect(
      raw()
        .readdirSync(path.join(env.root, "not", "yet"))
        .sort(),
    ).toEqual(["k"]);
  });

  it("refuses a key below an existing object with a clear error", async () => {
    await storage.put("a", "object");
    await expect(storage.put("a/b", "x")).rejects.toThrow(/parent of the key is an object/);
    expect((await storage.get("a")).toString()).toBe("object");
  });
});

describe("posix keys through resolveStorage", () => {
  it("refuses `..` in file:// URIs, bare paths and memory:// keys when the URI is given", () => {
    expect(() => resolveStorage("file:///tmp/../etc/passwd")).toThrow(InvalidKeyError);
    expect(() => resolveStorage("/tmp/x/../../etc/passwd")).toThrow(InvalidKeyError);
    expect(() => resolveStorage("../outside")).toThrow(InvalidKeyError);
    expect(() => resolveStorage("memory://vol/a/../../b")).toThrow(InvalidKeyError);
    expect(() => resolveStorage("memory://vol/a\0b")).toThrow(/NUL byte/);
  });
});
