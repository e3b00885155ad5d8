import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Checkpoint } from "@flyte/checkpoint";
import { adapterCases } from "./helpers/adapters.js";
import { describeTree, makeSampleTree } from "./helpers/tree.js";

const cases = adapterCases();
let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "cp-rt-"));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  for (const c of cases) c.cleanup();
});

type Mode = "async" | "sync";
const modes: [Mode, Mode][] = [
  ["async", "async"],
  ["sync", "sync"],
  ["async", "sync"],
  ["sync", "async"],
];

describe.each(cases)("Checkpoint round trips through $name", (adapter) => {
  let k = 0;
  const open = (dest: string, src?: string): Checkpoint =>
    new Checkpoint(
      adapter.uri(dest),
      src === undefined ? undefined : adapter.uri(src),
      adapter.storage ? { storage: adapter.storage } : {},
    );
  const save = async (cp: Checkpoint, mode: Mode, data: Uint8Array | string): Promise<void> =>
    mode === "async" ? cp.save(data) : cp.saveSync(data);
  const load = async (cp: Checkpoint, mode: Mode): Promise<string | undefined> =>
    mode === "async" ? cp.load() : cp.loadSync();

  describe.each(modes)("save %s, load %s", (saveMode, loadMode) => {
    test("bytes come back as a file named payload", async () => {
      const key = `bytes-${++k}`;
      using writer = open(key);
      const bytes = Uint8Array.from([0, 1, 2, 255, 0x1f, 0x8b]);
      await save(writer, saveMode, bytes);
      using reader = open(`${key}-next`, key);
      const path = await load(reader, loadMode);
      expect(path).toBe(join(reader.path, "payload"));
      expect([...readFileSync(path!)]).toEqual([...bytes]);
      expect(reader.lastLoad).toMatchObject({
        format: "bytes",
        verified: true,
        uri: adapter.uri(key),
      });
    });

    test("a file comes back as payload with the same bytes", async () => {
      const key = `file-${++k}`;
      const file = join(scratch, `model-${k}.bin`);
      const content = Buffer.alloc(3 * 1024 * 1024 + 17);
      for (let i = 0; i < content.length; i++) content[i] = (i * 31) & 0xff;
      writeFileSync(file, content);
      using writer = open(key);
      await save(writer, saveMode, file);
      using reader = open(`${key}-next`, key);
      const path = await load(reader, loadMode);
      expect(basename(path!)).toBe("payload");
      expect(readFileSync(path!).equals(content)).toBe(true);
      expect(reader.lastLoad?.format).toBe("file");
    });

    test("a directory (nested, empty folder and file, binary, unicode, long names, symlink) comes back whole", async () => {
      const key = `dir-${++k}`;
      const dir = mkdtempSync(join(scratch, "tree-"));
      makeSampleTree(dir);
      using writer = open(key);
      await save(writer, saveMode, dir);
      using reader = open(`${key}-next`, key);
      const path = await load(reader, loadMode);
      expect(path).toBe(reader.path);
      expect(describeTree(path!)).toEqual(describeTree(dir));
      expect(reader.lastLoad).toMatchObject({ format: "dir", verified: true });
    });

    test("an empty directory comes back as an empty directory", async () => {
      const key = `empty-${++k}`;
      const dir = mkdtempSync(join(scratch, "empty-"));
      using writer = open(key);
      await save(writer, saveMode, dir);
      using reader = open(`${key}-next`, key);
      const path = await load(reader, loadMode);
      expect(path).toBe(reader.path);
      expect(describeTree(path!)).toEqual({});
    });

    test("JSON is stored as UTF-8 bytes", async () => {
      const key = `json-${++k}`;
      using writer = open(key);
      const value = { index: 7, name: "ünïcødé", nested: [1, { ok: true }] };
      if (saveMode === "async") await writer.saveJson(value);
      else writer.saveJsonSync(value);
      using reader = open(`${key}-next`, key);
      const loaded = loadMode === "async" ? await reader.loadJson() : reader.loadJsonSync();
      expect(loaded).toEqual(value);
      expect(readFileSync(join(reader.path, "payload"), "utf8")).toBe(JSON.stringify(value));
    });
  });

  test("empty bytes saved by us load back as an empty payload (the manifest says so)", async () => {
    using writer = open("zero");
    await writer.save(new Uint8Array(0));
    using reader = open("zero-next", "zero");
    const path = await reader.load();
    expect(path).toBe(join(reader.path, "payload"));
    expect(readFileSync(path!).length).toBe(0);
  });

  test("a .tar.gz saved as a file stays a file (the manifest records the kind)", async () => {
    const dir = mkdtempSync(join(scratch, "tgz-"));
    writeFileSync(join(dir, "x"), "x");
    const rawFile = join(scratch, `archive-${++k}.tar.gz`);
    execFileSync("tar", ["czf", rawFile, "-C", dir, "x"]);
    using writer = open("tgz-file");
    await writer.save(rawFile);
    using reader = open("tgz-file-next", "tgz-file");
    const path = await reader.load();
    expect(basename(path!)).toBe("payload");
    expect(readFileSync(path!).equals(readFileSync(rawFile))).toBe(true);
  });

  test("loadBytes returns bytes, and refuses a directory with a typed error", async () => {
    using writer = open("lb");
    await writer.save(Buffer.from("abc"));
    using reader = open("lb-next", "lb");
    expect(Buffer.from((await reader.loadBytes())!).toString()).toBe("abc");
    expect(Buffer.from(reader.loadBytesSync()!).toString()).toBe("abc");
    const dir = mkdtempSync(join(scratch, "lbdir-"));
    writeFileSync(join(dir, "f"), "f");
    using dirWriter = open("lbdir");
    await dirWriter.save(dir);
    using dirReader = open("lbdir-next", "lbdir");
    await expect(dirReader.loadBytes()).rejects.toMatchObject({ name: "CheckpointFormatError" });
  });

  test("dispose removes the workspace; later calls throw CheckpointStateError", async () => {
    const cp = open("disp");
    await cp.save(Buffer.from("1"));
    const ws = cp.path;
    expect(existsSync(ws)).toBe(true);
    cp.dispose();
    expect(existsSync(ws)).toBe(false);
    await expect(cp.load()).rejects.toMatchObject({ name: "CheckpointStateError" });
    expect(() => cp.saveSync(Buffer.from("2"))).toThrow(
      expect.objectContaining({ name: "CheckpointStateError" }),
    );
  });
});
