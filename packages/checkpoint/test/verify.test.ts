/**
 * `verifyCheckpoint` (what `flyte checkpoint inspect` shows) makes the same judgement as
 * `load()`: for healthy, Python-written, damaged and hostile objects alike, it says an object is
 * loadable exactly when `load()` restores it, with the same format and verification, the same
 * typed error otherwise, and the entries `load()` restores. Real disk.
 */
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Checkpoint, verifyCheckpoint } from "@flyte/checkpoint";
import { python, pythonSaveDir } from "./helpers/python.js";
import { describeTree, makeSampleTree } from "./helpers/tree.js";

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "cp-verify-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
const fresh = (): string => join(root, `case-${++n}`);
const quiet = { onWarning: () => undefined };

/** Objects of every kind a load meets, each at its own path. */
async function corpus(): Promise<[string, string][]> {
  const out: [string, string][] = [];
  const tree = fresh();
  makeSampleTree(tree);
  const ours = fresh();
  {
    using cp = new Checkpoint(ours, undefined, quiet);
    await cp.save(tree);
  }
  out.push(["a directory we saved", ours]);
  const bytes = fresh();
  {
    using cp = new Checkpoint(bytes, undefined, quiet);
    await cp.save(new TextEncoder().encode("42"));
  }
  out.push(["bytes we saved", bytes]);
  const py = fresh();
  python(pythonSaveDir, tree, py);
  out.push(["a directory Python saved", py]);
  const good = readFileSync(ours);
  for (const [what, damaged] of [
    ["our directory, cut in half", good.subarray(0, good.length >> 1)],
    ["our directory, a byte flipped", Buffer.from(good).fill(0x55, 100, 101)],
  ] as const) {
    const copy = fresh();
    writeFileSync(copy, damaged);
    writeFileSync(`${copy}.manifest.json`, readFileSync(`${ours}.manifest.json`));
    out.push([what, copy]);
  }
  const pyCut = fresh();
  writeFileSync(pyCut, readFileSync(py).subarray(0, 300));
  out.push(["Python's directory, cut", pyCut]);
  const gz = fresh();
  writeFileSync(gz, gzipSync(Buffer.from("not a tar".repeat(100))));
  out.push(["a gzip holding no tar", gz]);
  const unsafeSrc = fresh();
  mkdirSync(unsafeSrc);
  symlinkSync("/etc/passwd", join(unsafeSrc, "escape"));
  const unsafe = fresh();
  python(pythonSaveDir, unsafeSrc, unsafe);
  out.push(["a Python archive with a symlink out", unsafe]);
  return out;
}

test("verifyCheckpoint says loadable exactly when load() restores, with the same format, verification and error", async () => {
  for (const [what, uri] of await corpus()) {
    using cp = new Checkpoint(fresh(), uri, quiet);
    const loaded = await cp.load().then(
      (path) => ({ ok: true as const, path }),
      (error: unknown) => ({ ok: false as const, error: error as Error }),
    );
    const found = await verifyCheckpoint(uri);
    expect([what, found.loadable]).toEqual([what, loaded.ok]);
    if (loaded.ok) {
      expect([what, found.format, found.verified]).toEqual([
        what,
        cp.lastLoad!.format,
        cp.lastLoad!.verified,
      ]);
      if (found.format === "dir") {
        const listed = found.entries!.map((e) => e.path.replace(/\/$/, "")).sort();
        expect([what, listed]).toEqual([what, Object.keys(describeTree(loaded.path!)).sort()]);
      }
    } else {
      expect([what, found.problem?.name]).toEqual([what, loaded.error.name]);
    }
  }
});

test("nothing at the URI: exists false, no scratch folder left", async () => {
  const tmp = fresh();
  mkdirSync(tmp);
  const found = await verifyCheckpoint(fresh(), { tmpDir: tmp });
  expect(found).toMatchObject({ exists: false, loadable: false });
  const ours = fresh();
  {
    using cp = new Checkpoint(ours, undefined, quiet);
    await cp.save(new TextEncoder().encode("x"));
  }
  await verifyCheckpoint(ours, { tmpDir: tmp });
  expect(readFileSync(ours, "utf8")).toBe("x");
  expect(readdirSync(tmp)).toEqual([]);
});
