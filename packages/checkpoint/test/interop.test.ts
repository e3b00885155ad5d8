/**
 * Wire compatibility with the Python SDK, proven with python3's own tarfile module: what the
 * SDK writes loads here, and what we write the SDK's load logic reads back.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Checkpoint } from "@flyte/checkpoint";
import { python, pythonLoad, pythonSaveDir } from "./helpers/python.js";
import { describeTree, makeSampleTree } from "./helpers/tree.js";

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "cp-interop-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const quiet = { onWarning: () => undefined };

describe.each(["async", "sync"] as const)("Python wrote it, we load it (%s)", (mode) => {
  const load = (cp: Checkpoint): Promise<string | undefined> | string | undefined =>
    mode === "async" ? cp.load() : cp.loadSync();

  test("a directory saved by the SDK (w:gz of sorted top-level entries, pax headers) restores", async () => {
    const src = join(root, `py-src-${mode}`);
    makeSampleTree(src);
    const object = join(root, `py-dir-${mode}.ckpt`);
    python(pythonSaveDir, src, object);
    using cp = new Checkpoint(join(root, `dest-${mode}`), object, quiet);
    const path = await load(cp);
    expect(path).toBe(cp.path);
    expect(describeTree(path!)).toEqual(describeTree(src));
    expect(cp.lastLoad).toMatchObject({ format: "dir", verified: false });
  });

  test("an empty directory saved by the SDK restores as an empty directory", async () => {
    const src = join(root, `py-empty-${mode}`);
    mkdirSync(src);
    const object = join(root, `py-empty-${mode}.ckpt`);
    python(pythonSaveDir, src, object);
    using cp = new Checkpoint(join(root, `dest-e-${mode}`), `file://${object}`, quiet);
    const path = await load(cp);
    expect(path).toBe(cp.path);
    expect(describeTree(path!)).toEqual({});
  });

  test("bytes saved by the SDK (raw) restore as payload", async () => {
    const object = join(root, `py-bytes-${mode}.ckpt`);
    python(`import sys; open(sys.argv[1], "wb").write(b"42")`, object);
    using cp = new Checkpoint(join(root, `dest-b-${mode}`), object, quiet);
    const path = await load(cp);
    expect(path).toBe(join(cp.path, "payload"));
    expect(readFileSync(path!, "utf8")).toBe("42");
    expect(cp.lastLoad).toMatchObject({ format: "file", verified: false });
  });

  test("a GNU tar (long names as ././@LongLink) written by python's GNU_FORMAT restores", async () => {
    const src = join(root, `gnu-src-${mode}`);
    makeSampleTree(src);
    const object = join(root, `gnu-${mode}.ckpt`);
    python(
      `import sys, tarfile, pathlib
src = pathlib.Path(sys.argv[1])
with tarfile.open(sys.argv[2], "w:gz", format=tarfile.GNU_FORMAT) as t:
    for c in sorted(src.iterdir()):
        t.add(c, arcname=c.name)`,
      src,
      object,
    );
    using cp = new Checkpoint(join(root, `dest-g-${mode}`), object, quiet);
    expect(describeTree((await load(cp))!)).toEqual(describeTree(src));
  });

  test("hard links as Python stores them (LNKTYPE) restore as the same content", async () => {
    const src = join(root, `hl-src-${mode}`);
    mkdirSync(src);
    writeFileSync(join(src, "a"), "shared");
    python(`import os, sys; os.link(sys.argv[1] + "/a", sys.argv[1] + "/b")`, src);
    const object = join(root, `hl-${mode}.ckpt`);
    python(pythonSaveDir, src, object);
    expect(
      python(`import sys, tarfile; print([m.type for m in tarfile.open(sys.argv[1])])`, object),
    ).toContain("b'1'");
    using cp = new Checkpoint(join(root, `dest-h-${mode}`), object, quiet);
    const path = (await load(cp))!;
    expect(readFileSync(join(path, "b"), "utf8")).toBe("shared");
  });
});

describe.each(["async", "sync"] as const)("we wrote it, Python loads it (%s)", (mode) => {
  test("a directory we save is a gzip tar Python extracts (data filter) to the same tree", async () => {
    const src = join(root, `ts-src-${mode}`);
    makeSampleTree(src);
    const object = join(root, `ts-dir-${mode}.ckpt`);
    using cp = new Checkpoint(object, undefined, quiet);
    if (mode === "async") await cp.save(src);
    else cp.saveSync(src);
    const out = join(root, `py-out-${mode}`);
    expect(python(pythonLoad, object, out).trim()).toBe("dir");
    expect(describeTree(out)).toEqual(describeTree(src));
    // Same layout as the SDK: the top-level entries, sorted, each under its own name.
    const names = python(
      `import sys, tarfile; print("\\n".join(tarfile.open(sys.argv[1]).getnames()))`,
      object,
    )
      .trim()
      .split("\n");
    const top = names.filter((n) => !n.includes("/"));
    expect(top).toEqual([...top].sort());
    expect(top).toEqual(["empty-dir", "empty-file", "index.txt", "link-to-index", "nested"]);
    // The manifest is a sidecar: the object itself is exactly what Python expects.
    expect(
      python(
        `import sys, gzip; print(gzip.open(sys.argv[1]).read()[257:262].decode())`,
        object,
      ).trim(),
    ).toBe("ustar");
  });

  test("bytes and JSON we save are raw bytes Python reads as payload", async () => {
    const object = join(root, `ts-bytes-${mode}.ckpt`);
    using cp = new Checkpoint(object, undefined, quiet);
    if (mode === "async") await cp.saveJson({ index: 3 });
    else cp.saveJsonSync({ index: 3 });
    const out = join(root, `py-out-b-${mode}`);
    expect(python(pythonLoad, object, out).trim()).toBe("payload");
    expect(
      python(
        `import sys, json; print(json.load(open(sys.argv[1]))["index"])`,
        join(out, "payload"),
      ).trim(),
    ).toBe("3");
  });

  test("a file we save is stored byte for byte", async () => {
    const file = join(root, `model-${mode}.bin`);
    writeFileSync(file, Buffer.from("not a tar, just bytes\n".repeat(1000)));
    const object = join(root, `ts-file-${mode}.ckpt`);
    using cp = new Checkpoint(`file://${object}`, undefined, quiet);
    if (mode === "async") await cp.save(file);
    else cp.saveSync(file);
    expect(readFileSync(object).equals(readFileSync(file))).toBe(true);
  });

  test("an empty directory we save is an empty tar Python loads as an empty directory", async () => {
    const src = join(root, `ts-empty-${mode}`);
    mkdirSync(src);
    const object = join(root, `ts-empty-${mode}.ckpt`);
    using cp = new Checkpoint(object, undefined, quiet);
    if (mode === "async") await cp.save(src);
    else cp.saveSync(src);
    const out = join(root, `py-out-e-${mode}`);
    expect(python(pythonLoad, object, out).trim()).toBe("dir");
    expect(describeTree(out)).toEqual({});
  });
});

test("a symlink inside a saved directory survives both ways", async () => {
  const src = join(root, "links");
  mkdirSync(join(src, "d"), { recursive: true });
  writeFileSync(join(src, "d/target"), "t");
  symlinkSync("d/target", join(src, "rel-link"));
  const object = join(root, "links.ckpt");
  using cp = new Checkpoint(object, undefined, quiet);
  await cp.save(src);
  const out = join(root, "links-py");
  python(pythonLoad, object, out);
  expect(describeTree(out)).toEqual(describeTree(src));
});
