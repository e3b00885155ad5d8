/**
 * A save never stores what its load refuses (issue 14, items 5 and 6): a directory holding a
 * symlink `load` would refuse (a virtualenv's absolute `bin/python`, a relative link leading
 * out, a chain that only escapes when resolved for real) or a file name that is not UTF-8 is
 * refused at save time with a typed error naming the entry, and nothing is written; with
 * `followSymlinks: true` such links are stored as what they point to. Real disk throughout.
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
import {
  Checkpoint,
  CheckpointInputError,
  CheckpointUnsupportedEntryError,
} from "@flyte/checkpoint";
import { describeTree } from "./helpers/tree.js";

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "cp-inputs-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
const fresh = (): string => join(root, `case-${++n}`);
const quiet = { onWarning: () => undefined };
type Mode = "async" | "sync";

async function save(cp: Checkpoint, mode: Mode, data: Uint8Array | string): Promise<void> {
  if (mode === "async") await cp.save(data);
  else cp.saveSync(data);
}

/** A destination holding a saved "previous" checkpoint. */
async function withPrevious(): Promise<string> {
  const dest = fresh();
  using cp = new Checkpoint(dest, undefined, quiet);
  await cp.save(new TextEncoder().encode("previous"));
  return dest;
}

async function expectPreviousIntact(dest: string): Promise<void> {
  using reader = new Checkpoint(fresh(), dest, quiet);
  expect(await reader.loadBytes().then((b) => Buffer.from(b!).toString())).toBe("previous");
  expect(reader.lastLoad?.verified).toBe(true);
}

/** A directory like a project with a virtualenv: `venv/bin/python` -> an absolute path. */
function virtualenvDir(): { dir: string; link: string } {
  const dir = fresh();
  mkdirSync(join(dir, "venv", "bin"), { recursive: true });
  writeFileSync(join(dir, "state.json"), "{}");
  const link = join(dir, "venv", "bin", "python");
  symlinkSync("/usr/bin/python3", link);
  return { dir, link };
}

describe.each(["async", "sync"] as const)("5. symlinks load would refuse (%s)", (mode) => {
  test("a virtualenv's absolute symlink is refused at save, naming the entry; the previous checkpoint stays", async () => {
    const dest = await withPrevious();
    const { dir, link } = virtualenvDir();
    using cp = new Checkpoint(dest, undefined, quiet);
    const error = await save(cp, mode, dir).then(
      () => new Error("saved"),
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "CheckpointUnsupportedEntryError" });
    expect(error).toBeInstanceOf(CheckpointUnsupportedEntryError);
    expect(error).toBeInstanceOf(CheckpointInputError);
    expect((error as CheckpointUnsupportedEntryError).entry).toBe(link);
    expect((error as Error).message).toMatch(/absolute path "\/usr\/bin\/python3".*followSymlinks/);
    await expectPreviousIntact(dest);
    expect(readdirSync(root).filter((f) => f.includes(".flyte-tmp"))).toEqual([]);
  });

  test("a relative symlink leading out is refused too", async () => {
    const dest = await withPrevious();
    const dir = fresh();
    mkdirSync(join(dir, "sub"), { recursive: true });
    symlinkSync("../../outside", join(dir, "sub", "escape"));
    using cp = new Checkpoint(dest, undefined, quiet);
    await expect(save(cp, mode, dir)).rejects.toMatchObject({
      name: "CheckpointUnsupportedEntryError",
      entry: join(dir, "sub", "escape"),
    });
    await expectPreviousIntact(dest);
  });

  test("a chain that stays inside by its text but leads out when resolved for real is refused", async () => {
    const dest = await withPrevious();
    const dir = fresh();
    mkdirSync(join(dir, "sub"), { recursive: true });
    symlinkSync("..", join(dir, "sub", "up")); // inside: sub/.. is the directory itself
    symlinkSync("sub/up/..", join(dir, "x")); // by its text "." — for real, the parent
    using cp = new Checkpoint(dest, undefined, quiet);
    await expect(save(cp, mode, dir)).rejects.toMatchObject({
      name: "CheckpointUnsupportedEntryError",
      entry: join(dir, "x"),
    });
    await expectPreviousIntact(dest);
  });

  test("links that stay inside are kept as links, and load restores them", async () => {
    const dest = fresh();
    const dir = fresh();
    mkdirSync(join(dir, "sub"), { recursive: true });
    writeFileSync(join(dir, "sub", "file"), "content");
    symlinkSync("sub/file", join(dir, "link"));
    symlinkSync("..", join(dir, "sub", "up"));
    symlinkSync("does-not-exist", join(dir, "dangling"));
    using cp = new Checkpoint(dest, undefined, quiet);
    await save(cp, mode, dir);
    using reader = new Checkpoint(fresh(), dest, quiet);
    const restored = mode === "async" ? await reader.load() : reader.loadSync();
    expect(describeTree(restored!)).toEqual(describeTree(dir));
  });

  test("followSymlinks: true stores what an escaping link points to, and load restores it", async () => {
    const outside = fresh();
    mkdirSync(join(outside, "lib"), { recursive: true });
    writeFileSync(join(outside, "lib", "module.py"), "print('hi')");
    writeFileSync(join(outside, "python3"), "#!binary");
    const dir = fresh();
    mkdirSync(join(dir, "venv", "bin"), { recursive: true });
    symlinkSync(join(outside, "python3"), join(dir, "venv", "bin", "python"));
    symlinkSync(join(outside, "lib"), join(dir, "venv", "lib"));
    symlinkSync("python", join(dir, "venv", "bin", "python3")); // leads out through python: followed too
    writeFileSync(join(dir, "venv", "bin", "activate"), "# activate");
    symlinkSync("activate", join(dir, "venv", "bin", "act")); // stays inside: kept as a link
    const dest = fresh();
    using cp = new Checkpoint(dest, undefined, { ...quiet, followSymlinks: true });
    await save(cp, mode, dir);
    using reader = new Checkpoint(fresh(), dest, quiet);
    const restored = (mode === "async" ? await reader.load() : reader.loadSync())!;
    expect(readFileSync(join(restored, "venv", "bin", "python"), "utf8")).toBe("#!binary");
    expect(readFileSync(join(restored, "venv", "lib", "module.py"), "utf8")).toBe("print('hi')");
    expect(readFileSync(join(restored, "venv", "bin", "python3"), "utf8")).toBe("#!binary");
    expect(describeTree(restored)["venv/bin/python3"]).toMatch(/^file:/);
    expect(describeTree(restored)["venv/bin/act"]).toBe("link:activate");
  });

  test("followSymlinks: a link that leads back into a directory being saved is refused (a loop), not followed forever", async () => {
    const dir = fresh();
    mkdirSync(join(dir, "a"), { recursive: true });
    symlinkSync(dir, join(dir, "a", "again"));
    using cp = new Checkpoint(fresh(), undefined, { ...quiet, followSymlinks: true });
    await expect(save(cp, mode, dir)).rejects.toMatchObject({
      name: "CheckpointUnsupportedEntryError",
      entry: join(dir, "a", "again"),
    });
  });
});

describe.each(["async", "sync"] as const)("6. file names that are not UTF-8 (%s)", (mode) => {
  test("are refused at save with a typed input error naming the entry, and nothing is written", async () => {
    const dest = await withPrevious();
    const dir = fresh();
    mkdirSync(join(dir, "data"), { recursive: true });
    writeFileSync(join(dir, "ok.txt"), "fine");
    // Latin-1 "café.bin": the é is the single byte 0xe9, invalid as UTF-8.
    writeFileSync(
      Buffer.concat([
        Buffer.from(join(dir, "data", "caf")),
        Buffer.from([0xe9]),
        Buffer.from(".bin"),
      ]),
      "bytes",
    );
    using cp = new Checkpoint(dest, undefined, quiet);
    const error = await save(cp, mode, dir).then(
      () => new Error("saved"),
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "CheckpointUnsupportedEntryError" });
    expect(error).toBeInstanceOf(CheckpointUnsupportedEntryError);
    expect((error as CheckpointUnsupportedEntryError).entry).toBe(
      join(dir, "data", "caf\\xe9.bin"),
    );
    expect((error as Error).message).toContain("not valid UTF-8");
    await expectPreviousIntact(dest);
  });
});
