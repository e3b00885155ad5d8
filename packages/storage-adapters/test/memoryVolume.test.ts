/**
 * `memory://` runs on memfs, an optional peer loaded only when a memory volume is first used,
 * and never growing with overwrites: memfs's own `rename` over an existing file keeps the old
 * file's bytes forever, which the adapter works around (see publish.ts).
 */
import { runScript } from "./support/runScript.js";

describe("memory:// volumes", () => {
  it("are not loaded with the package: memfs loads on first use, and a blocking call may be first", () => {
    const out = runScript<{ before: boolean; after: boolean; text: string }>(`
      import { createRequire } from "node:module";
      import { sep } from "node:path";
      const cache = createRequire(import.meta.url).cache;
      const memfsLoaded = () => Object.keys(cache).some((file) => file.includes(sep + "memfs" + sep));
      const { resolveStorage } = await import("@flyte/storage-adapters");
      const before = memfsLoaded();
      const { storage, key } = resolveStorage("memory://lazy/first/use");
      storage.putSync(key, "blocking, first");
      const text = Buffer.from(storage.getSync(key)).toString();
      console.log(JSON.stringify({ before, after: memfsLoaded(), text }));
    `);
    expect(out).toEqual({ before: false, after: true, text: "blocking, first" });
  }, 120_000);

  it("do not keep overwritten versions: 1,000 overwrites of 100 KB retain (almost) nothing", () => {
    const MB = 1e6;
    const out = runScript<{ put: number; putSync: number; putStream: number; size: number }>(
      `
      import { resolveStorage } from "@flyte/storage-adapters";
      const { storage, key } = resolveStorage("memory://leak/obj");
      const body = new Uint8Array(100 * 1024).fill(7);
      // V8 frees array buffers behind a GC concurrently: collect, let it finish, measure.
      const retained = async (base) => {
        for (let i = 0; i < 3; i++) {
          globalThis.gc();
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return process.memoryUsage().arrayBuffers - base;
      };
      await storage.put(key, body);
      const base = await retained(0);
      for (let i = 0; i < 1000; i++) await storage.put(key, body);
      const put = await retained(base);
      for (let i = 0; i < 1000; i++) storage.putSync(key, body);
      const putSync = await retained(base);
      for (let i = 0; i < 300; i++) await storage.putStream(key, (async function* () { yield body; })());
      const putStream = await retained(base);
      const size = (await storage.head(key)).size;
      console.log(JSON.stringify({ put, putSync, putStream, size }));
    `,
      ["--expose-gc"],
    );
    // Leaking, each 1,000 overwrites would retain 100 MB.
    expect(out.size).toBe(100 * 1024);
    expect(out.put).toBeLessThan(5 * MB);
    expect(out.putSync).toBeLessThan(5 * MB);
    expect(out.putStream).toBeLessThan(5 * MB);
  }, 120_000);
});
