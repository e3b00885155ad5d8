/**
 * File and Dir against real storage (the disk and memfs through @flyte/storage-adapters): upload
 * from a local path (to a given URI, or under the current task's raw data path), read, stream,
 * download, list; and as literals (blob + Literal.hash) and inside msgpack objects.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { Context, ContextData, RawDataPath } from "@flyte/context-core";
import { dropMemoryVolume } from "@flyte/storage-adapters";

import {
  Dir,
  File,
  flyteTypes,
  fromLiteral,
  toLiteral,
  TypeMismatchError,
  typeOfSchema,
} from "@flyte/type-engine";
import { z } from "zod";

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "te-files-"));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
  dropMemoryVolume("te-files");
});

const withRawData = <T>(path: string, fn: () => Promise<T>) =>
  new Context(new ContextData({ rawDataPath: new RawDataPath(path) })).run(fn);

describe("File", () => {
  test("fromLocal to a memory:// URI, then read, stream, exists, download", async () => {
    const local = join(tmp, "data.csv");
    writeFileSync(local, "a,b\n1,2\n");
    const f = await File.fromLocal(local, { to: "memory://te-files/in/data.csv", format: "csv" });
    expect(f.uri).toBe("memory://te-files/in/data.csv");
    expect(f.format).toBe("csv");
    expect(f.name).toBe("data.csv");
    expect(Buffer.from(await f.read()).toString()).toBe("a,b\n1,2\n");
    const chunks: Uint8Array[] = [];
    for await (const c of await f.stream()) chunks.push(c);
    expect(Buffer.concat(chunks).toString()).toBe("a,b\n1,2\n");
    expect(await f.exists()).toBe(true);
    expect(await new File("memory://te-files/missing").exists()).toBe(false);
    const down = await f.download(join(tmp, "out", "copy.csv"));
    expect(readFileSync(down, "utf8")).toBe("a,b\n1,2\n");
  });

  test("the default location is under the current raw data path; a local raw data path is not copied", async () => {
    const local = join(tmp, "x.bin");
    writeFileSync(local, new Uint8Array([1, 2, 3]));
    const remote = await withRawData("memory://te-files/raw", () => File.fromLocal(local));
    expect(remote.uri).toMatch(/^memory:\/\/te-files\/raw\/[0-9a-f]{32}\/x\.bin$/);
    expect([...(await remote.read())]).toEqual([1, 2, 3]);
    const kept = await withRawData(join(tmp, "raw"), () => File.fromLocal(local));
    expect(kept.uri).toBe(local);
  });

  test("without `to` and outside a task: a typed error, nothing written", async () => {
    const local = join(tmp, "y.txt");
    writeFileSync(local, "y");
    await expect(File.fromLocal(local)).rejects.toBeInstanceOf(TypeMismatchError);
    await expect(File.fromLocal(local)).rejects.toThrow(/no upload location/);
    await expect(
      File.fromLocal(join(tmp, "missing"), { to: "memory://te-files/z" }),
    ).rejects.toThrow(/ENOENT/);
  });

  test("as a literal: a single-part blob, hash in Literal.hash; read back as a File", () => {
    const f = new File("s3://bucket/k.parquet", { format: "parquet", hash: "abc" });
    const lit = toLiteral(f, flyteTypes.file, "input f");
    expect(lit.hash).toBe("abc");
    const back = fromLiteral(lit) as File;
    expect(back).toBeInstanceOf(File);
    expect([back.uri, back.format, back.hash]).toEqual(["s3://bucket/k.parquet", "parquet", "abc"]);
    expect(() => toLiteral(new Dir("s3://b/d"), flyteTypes.file, "input f")).toThrow(
      /expected a File/,
    );
  });

  test("inside an object: flyte.io's {path, name, format, hash}", () => {
    const t = typeOfSchema(z.object({ f: z.instanceof(File) }), "x");
    const lit = toLiteral({ f: new File("s3://b/a.txt") }, t, "x");
    const untyped = fromLiteral(lit) as { f: unknown };
    expect(untyped.f).toEqual({ path: "s3://b/a.txt", name: "a.txt", format: "", hash: null });
    expect((fromLiteral(lit, t) as { f: File }).f).toBeInstanceOf(File);
  });
});

describe("Dir", () => {
  test("fromLocal uploads every file (recursively), list and download give them back", async () => {
    const src = join(tmp, "src");
    mkdirSync(join(src, "sub"), { recursive: true });
    writeFileSync(join(src, "a.txt"), "A");
    writeFileSync(join(src, "sub", "b.txt"), "B");
    const d = await Dir.fromLocal(src, { to: "memory://te-files/dirs/d1" });
    expect((await d.list()).map((f) => f.uri)).toEqual([
      "memory://te-files/dirs/d1/a.txt",
      "memory://te-files/dirs/d1/sub/b.txt",
    ]);
    expect(await d.exists()).toBe(true);
    const out = await d.download(join(tmp, "out"));
    expect(readFileSync(join(out, "a.txt"), "utf8")).toBe("A");
    expect(readFileSync(join(out, "sub", "b.txt"), "utf8")).toBe("B");
    const lit = toLiteral(d, flyteTypes.dir, "input d");
    expect(fromLiteral(lit)).toBeInstanceOf(Dir);
  });

  test("a local Dir lists and downloads from the disk", async () => {
    const src = join(tmp, "local");
    mkdirSync(src);
    writeFileSync(join(src, "c.txt"), "C");
    const d = new Dir(src);
    expect((await d.list()).map((f) => f.name)).toEqual(["c.txt"]);
    const out = await d.download();
    try {
      expect(readFileSync(join(out, "c.txt"), "utf8")).toBe("C");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
