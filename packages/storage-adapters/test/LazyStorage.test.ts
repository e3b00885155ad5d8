import { MemoryStorageFixture } from "./fixtures/MemoryStorageFixture.js";

import type { LazyAdapterSpec, StorageFactory } from "@flyte/storage-adapters";
import {
  LazyStorage,
  MissingDependencyError,
  StorageConfigurationError,
  UnsupportedError,
} from "@flyte/storage-adapters";

const location = { scheme: "lazy", bucket: "b", uri: "lazy://b" };

function spec(
  load: () => Promise<unknown>,
  packages: string[] = ["@flyte/not-installed-sdk"],
): LazyAdapterSpec {
  return { load, module: "@flyte/test-lazy", factory: "createStorage", packages };
}

describe("LazyStorage", () => {
  it("turns a missing SDK into MissingDependencyError naming the package to install", async () => {
    const storage = new LazyStorage(
      location,
      spec(() => import("@flyte/not-installed-sdk" as string)),
    );
    const error = await storage.get("k").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect((error as Error).message).toContain("@flyte/not-installed-sdk");
    expect((error as Error).message).toContain("pnpm add");
    expect((error as MissingDependencyError).uri).toBe("lazy://b");
    expect((error as Error).cause).toBeDefined();
  });

  it("reports a module that fails for another reason, or exports no factory, as a configuration error", async () => {
    const broken = new LazyStorage(
      location,
      spec(() => Promise.reject(new Error("syntax error in module"))),
    );
    await expect(broken.ready()).rejects.toThrow(StorageConfigurationError);
    const empty = new LazyStorage(
      location,
      spec(() => Promise.resolve({})),
    );
    await expect(empty.ready()).rejects.toThrow(/does not export a function createStorage/);
  });

  it("loads once, forwards every operation, and retries loading after a failure", async () => {
    let loads = 0;
    let fail = true;
    const factory: StorageFactory = (loc, options) => {
      expect(loc).toBe(location);
      expect(options).toEqual({ tag: 1 });
      return MemoryStorageFixture.create();
    };
    const storage = new LazyStorage(
      location,
      spec(async () => {
        loads++;
        if (fail) throw new Error("flaky load");
        return { createStorage: factory };
      }),
      { tag: 1 },
    );
    await expect(storage.head("k")).rejects.toThrow(StorageConfigurationError);
    fail = false;
    await storage.put("a/k", "v");
    expect((await storage.get("a/k")).toString()).toBe("v");
    expect(storage.capabilities.sync).toBe(true);
    expect(storage.getSync("a/k").toString()).toBe("v");
    const listed: unknown[] = [];
    for await (const entry of storage.list("a/")) listed.push(entry);
    expect(listed).toHaveLength(1);
    await Promise.all([storage.head("a/k"), storage.head("a/k")]);
    expect(loads).toBe(2);
  });

  it("stops waiting for the adapter to load when the operation's signal aborts", async () => {
    let loads = 0;
    const never = new LazyStorage(
      location,
      spec(() => {
        loads++;
        return new Promise<never>(() => undefined);
      }),
    );
    const reason = new Error("task cancelled");
    await expect(never.head("k", { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(loads).toBe(0);
    const controller = new AbortController();
    const pending = never.get("k", { signal: controller.signal });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(loads).toBe(1);
  });

  it("passes the signal on to the loaded adapter", async () => {
    const storage = new LazyStorage(
      location,
      spec(async () => ({ createStorage: () => MemoryStorageFixture.create() })),
    );
    await storage.put("k", "v");
    const reason = new Error("stop");
    const controller = new AbortController();
    const stream = await storage.getStream("k", { signal: controller.signal });
    controller.abort(reason);
    await expect(
      (async () => {
        for await (const _ of stream);
      })(),
    ).rejects.toBe(reason);
    await expect(storage.delete("k", { signal: controller.signal })).rejects.toBe(reason);
    expect((await storage.head("k"))?.size).toBe(1);
  });

  it("refuses sync twins when the loaded adapter has none", async () => {
    const storage = new LazyStorage(
      location,
      spec(async () => ({ createStorage: () => MemoryStorageFixture.asyncOnly() })),
    );
    await storage.ready();
    expect(() => storage.getSync("k")).toThrow(UnsupportedError);
  });
});
