import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import type {
  Bytes,
  ListEntry,
  ObjectMeta,
  Storage,
  StorageLocation,
  StorageOptions,
} from "@flyte/storage-adapters";
import {
  AlreadyExistsError,
  dropMemoryVolume,
  LazyStorage,
  NotFoundError,
  openStorage,
  parseStorageUri,
  PosixStorage,
  registerStorage,
  resolveStorage,
  StorageConfigurationError,
  unregisterStorage,
  UnsupportedError,
} from "@flyte/storage-adapters";

/** A small adapter written by "a user": objects in a Map, records what it was built with. */
class MapStorage implements Storage {
  readonly scheme = "kv";
  readonly capabilities = {
    conditionalCreate: true,
    conditionalUpdate: false,
    rangeRead: false,
    sync: false,
  };
  readonly objects = new Map<string, Uint8Array>();
  constructor(
    readonly location: StorageLocation,
    readonly options?: StorageOptions,
  ) {}
  async head(key: string): Promise<ObjectMeta | null> {
    const value = this.objects.get(key);
    return value ? { key, size: value.length } : null;
  }
  async get(key: string): Promise<Bytes> {
    const value = this.objects.get(key);
    if (!value) throw new NotFoundError(`${this.location.uri}/${key}`);
    return value;
  }
  async getStream(key: string): Promise<AsyncIterable<Bytes>> {
    const value = await this.get(key);
    return (async function* () {
      yield value;
    })();
  }
  async put(key: string, body: Bytes | string, options?: { mode?: unknown }): Promise<ObjectMeta> {
    if (options?.mode === "create" && this.objects.has(key))
      throw new AlreadyExistsError(`${this.location.uri}/${key}`);
    if (options?.mode !== undefined && options.mode !== "overwrite" && options.mode !== "create") {
      throw new UnsupportedError(`${this.location.uri}/${key}`, "ifMatch");
    }
    const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
    this.objects.set(key, bytes);
    return { key, size: bytes.length };
  }
  async putStream(key: string, body: AsyncIterable<Bytes>): Promise<ObjectMeta> {
    const parts: Uint8Array[] = [];
    for await (const part of body) parts.push(part);
    return this.put(key, Buffer.concat(parts));
  }
  async *list(prefix: string): AsyncIterable<ListEntry> {
    for (const [key, value] of [...this.objects].sort())
      if (key.startsWith(prefix)) yield { key, size: value.length };
  }
  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }
}

afterEach(() => {
  unregisterStorage("kv");
  unregisterStorage("file");
});

describe("parseStorageUri", () => {
  it.each([
    ["s3://bucket/a/b.bin", "s3", "bucket", "a/b.bin", "s3://bucket"],
    ["S3://Bucket/key", "s3", "Bucket", "key", "s3://Bucket"],
    ["s3://bucket", "s3", "bucket", "", "s3://bucket"],
    [
      "abfss://ckpt@acct.dfs.core.windows.net/run/1",
      "abfss",
      "ckpt@acct.dfs.core.windows.net",
      "run/1",
      "abfss://ckpt@acct.dfs.core.windows.net",
    ],
    ["memory://vol/x/y", "memory", "vol", "x/y", "memory://vol"],
    ["file:///tmp/a%20b", "file", "", "tmp/a%20b", "file://"],
    ["file://localhost/tmp/x", "file", "", "tmp/x", "file://"],
    ["/tmp/bare/path", "file", "", "tmp/bare/path", "file://"],
  ])("splits %s", (uri, scheme, bucket, key, root) => {
    expect(parseStorageUri(uri)).toEqual({ location: { scheme, bucket, uri: root }, key });
  });

  it("keeps `..` (so the adapter can refuse it) instead of resolving it like URL does", () => {
    expect(parseStorageUri("s3://bucket/a/../b").key).toBe("a/../b");
  });

  it("resolves a relative bare path against the working directory", () => {
    expect(parseStorageUri("rel/file").key).toBe(`${process.cwd().slice(1)}/rel/file`);
  });
});

describe("resolveStorage", () => {
  it.each([
    ["", /non-empty string/],
    ["   ", /non-empty string/],
    ["s3:/bucket/key", /expected "s3:\/\/"/],
    ["s3:///key", /needs a bucket/],
    ["abfs:///path", /needs a bucket/],
    ["file://relative/path", /absolute path/],
    ["nosuch://bucket/key", /no storage adapter for scheme "nosuch"/],
  ])("refuses %j with StorageConfigurationError naming the URI", (uri, message) => {
    const error = (() => {
      try {
        resolveStorage(uri);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(StorageConfigurationError);
    expect((error as Error).message).toMatch(message);
    expect((error as StorageConfigurationError).uri).toBe(uri);
  });

  it("refuses non-string URIs and non-object options", () => {
    expect(() => resolveStorage(42 as unknown as string)).toThrow(StorageConfigurationError);
    expect(() => resolveStorage("memory://v/k", "fast" as unknown as StorageOptions)).toThrow(
      StorageConfigurationError,
    );
  });

  it("serves memory:// from named volumes shared within the process", async () => {
    const a = resolveStorage("memory://reg-shared/dir/obj");
    const b = resolveStorage("memory://reg-shared/other");
    const c = resolveStorage("memory://reg-elsewhere/dir/obj");
    expect(a.key).toBe("dir/obj");
    expect(a.storage).toBe(b.storage);
    expect(a.storage).not.toBe(c.storage);
    expect(a.storage.scheme).toBe("memory");
    await a.storage.put(a.key, "shared");
    expect((await b.storage.get("dir/obj")).toString()).toBe("shared");
    expect(await c.storage.head(c.key)).toBeNull();
    expect(a.storage.capabilities.conditionalUpdate).toBe(true);
    const error = await a.storage.get("missing").catch((e: unknown) => e);
    expect((error as NotFoundError).uri).toBe("memory://reg-shared/missing");
    dropMemoryVolume("reg-shared");
    expect(await resolveStorage("memory://reg-shared/dir/obj").storage.head("dir/obj")).toBeNull();
  });

  it("serves file:// and bare paths from the disk, one instance per options", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flyte-registry-"));
    try {
      const viaUri = resolveStorage(`file://${dir}/x.txt`);
      const bare = resolveStorage(`${dir}/x.txt`);
      expect(viaUri.storage).toBeInstanceOf(PosixStorage);
      expect(viaUri.storage).toBe(bare.storage);
      expect(viaUri.key).toBe(bare.key);
      await viaUri.storage.put(viaUri.key, "on disk");
      expect(fs.readFileSync(path.join(dir, "x.txt"), "utf8")).toBe("on disk");
      expect(viaUri.storage.capabilities.conditionalUpdate).toBe(false);
      const noSync = resolveStorage(`file://${dir}/x.txt`, { fsync: false });
      expect(noSync.storage).not.toBe(viaUri.storage);
      expect(resolveStorage(`file://${dir}/y`, { fsync: false }).storage).toBe(noSync.storage);
      expect(() => resolveStorage(`file://${dir}/y`, { fsync: "yes" })).toThrow(
        /fsync must be a boolean/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("uses a user-written adapter registered for a new scheme, cached per bucket and options", async () => {
    const built: MapStorage[] = [];
    registerStorage("kv", (location, options) => {
      const storage = new MapStorage(location, options);
      built.push(storage);
      return storage;
    });
    const { storage, key } = resolveStorage("kv://shelf/a/b");
    expect(storage).toBeInstanceOf(MapStorage);
    expect(key).toBe("a/b");
    expect((storage as MapStorage).location).toEqual({
      scheme: "kv",
      bucket: "shelf",
      uri: "kv://shelf",
    });
    await storage.put(key, "stored by the user's adapter");
    expect(resolveStorage("KV://shelf/other").storage).toBe(storage);
    expect(new TextDecoder().decode(built[0]!.objects.get("a/b")!)).toBe(
      "stored by the user's adapter",
    );
    expect(resolveStorage("kv://another/x").storage).not.toBe(storage);
    const withOptions = resolveStorage("kv://shelf/x", {
      token: "t",
      nested: { a: 1, b: 2 },
    }).storage;
    expect(withOptions).not.toBe(storage);
    expect(resolveStorage("kv://shelf/x", { nested: { b: 2, a: 1 }, token: "t" }).storage).toBe(
      withOptions,
    );
    expect((withOptions as MapStorage).options).toEqual({ token: "t", nested: { a: 1, b: 2 } });
    expect(built).toHaveLength(3);
  });

  it("refuses a second registration unless replace is set, and lets a user replace a built-in", async () => {
    registerStorage("kv", (location) => new MapStorage(location));
    expect(() => registerStorage("kv", (location) => new MapStorage(location))).toThrow(
      /already registered/,
    );
    expect(() => registerStorage("file", (location) => new MapStorage(location))).toThrow(
      /already registered/,
    );
    registerStorage("file", (location) => new MapStorage(location), { replace: true });
    expect(resolveStorage("file:///anything").storage).toBeInstanceOf(MapStorage);
    unregisterStorage("file");
    expect(resolveStorage("file:///anything").storage).toBeInstanceOf(PosixStorage);
  });

  it("refuses bad scheme names and factories that are not functions or return no Storage", () => {
    expect(() => registerStorage("9x", (l) => new MapStorage(l))).toThrow(
      StorageConfigurationError,
    );
    expect(() => registerStorage("has space", (l) => new MapStorage(l))).toThrow(
      /not a valid URI scheme/,
    );
    expect(() => registerStorage("kv", "nope" as never)).toThrow(/must be a function/);
    registerStorage("kv", () => ({}) as Storage);
    expect(() => resolveStorage("kv://b/k")).toThrow(/did not return a Storage/);
  });

  it.each([
    "s3://bucket/key",
    "abfs://c@a.dfs.core.windows.net/k",
    "abfss://c@a.dfs.core.windows.net/k",
    "az://c/k",
  ])("resolves %s synchronously to a lazy adapter, loading nothing yet", (uri) => {
    const { storage } = resolveStorage(uri);
    expect(storage).toBeInstanceOf(LazyStorage);
    expect((storage as LazyStorage).loaded).toBeUndefined();
    expect(storage.scheme).toBe(uri.split(":")[0]);
    expect(() => storage.capabilities).toThrow(/await storage.ready\(\)/);
    // Blocking calls need no load here: they go through the worker bridge (tested against radosgw
    // in lazySync.test.ts; not called here, where they would reach for a real cloud endpoint).
    expect(typeof (storage as LazyStorage).headSync).toBe("function");
    expect(resolveStorage(uri).storage).toBe(storage);
  });

  it("loads the S3 subpath on first use and hands it the location and options", async () => {
    const options = {
      endpoint: "http://127.0.0.1:9",
      region: "us-east-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    };
    const { storage } = await openStorage("s3://lazy-bucket/k", options);
    const loaded = (storage as LazyStorage).loaded!;
    expect(loaded.constructor.name).toBe("S3Storage");
    expect(loaded.scheme).toBe("s3");
    expect(typeof storage.capabilities.conditionalCreate).toBe("boolean");
  });
});
