/**
 * `flyte checkpoint inspect`, in-process (it loads no user code), over checkpoints written by
 * @flyte/checkpoint and by Python's own tarfile module, on the local disk and memory://.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Checkpoint } from "@flyte/checkpoint";
import { resolveStorage } from "@flyte/storage-adapters";
import { runFlyteCli } from "../src/cli/runFlyteCli.js";
import { ExitCode } from "../src/entrypoint/exitCodes.js";
import { captureIo } from "./fixtures-cli/captureIo.js";
import { lastJsonLine, tempDir } from "./fixtures-cli/runBin.js";

async function inspect(
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo();
  const code = await runFlyteCli(["checkpoint", ...argv], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

function pythonTar(source: string, target: string): void {
  // The way the Python SDK writes a directory checkpoint: a gzip tar of its top-level entries.
  execFileSync("python3", [
    "-c",
    "import tarfile,os,sys\nwith tarfile.open(sys.argv[2],'w:gz') as t:\n  for e in sorted(os.listdir(sys.argv[1])): t.add(os.path.join(sys.argv[1],e), arcname=e)",
    source,
    target,
  ]);
}

describe("flyte checkpoint inspect", () => {
  it("shows a bytes checkpoint: format, size, manifest and its content", async () => {
    const dir = tempDir("inspect-bytes");
    const uri = join(dir, "a0", "0", "_flytecheckpoints");
    await new Checkpoint(uri).save(new TextEncoder().encode("42"));
    const human = await inspect("inspect", uri);
    expect(human.code).toBe(ExitCode.OK);
    expect(human.stdout).toContain(`checkpoint ${uri}`);
    expect(human.stdout).toMatch(/format +bytes \(stored raw/);
    expect(human.stdout).toMatch(/size +2 B/);
    expect(human.stdout).toMatch(/manifest +current: crc32 [0-9a-f]{8},/);
    expect(human.stdout).toMatch(/content +"42"/);
    const json = await inspect("inspect", "--json", uri);
    expect(lastJsonLine(json.stdout)).toMatchObject({
      exists: true,
      format: "bytes",
      size: 2,
      manifestStatus: "current",
      manifest: { format: "bytes", size: 2 },
      preview: "42",
    });
  });

  it("lists the files of a directory checkpoint, on memory:// too", async () => {
    const src = tempDir("inspect-src");
    mkdirSync(join(src, "model"));
    writeFileSync(join(src, "index.txt"), "7");
    writeFileSync(join(src, "model", "weights.bin"), Buffer.alloc(5000, 1));
    const uri = "memory://inspect-tests/run/a0/1/_flytecheckpoints";
    await new Checkpoint(uri).save(src);
    const r = await inspect("inspect", "--json", uri);
    expect(r.code).toBe(ExitCode.OK);
    const body = lastJsonLine(r.stdout);
    expect(body).toMatchObject({ exists: true, format: "dir", manifestStatus: "current" });
    expect(body["files"]).toEqual([
      { path: "index.txt", size: 1, type: "file" },
      { path: "model/", size: 0, type: "directory" },
      { path: "model/weights.bin", size: 5000, type: "file" },
    ]);
    const human = await inspect("inspect", uri);
    expect(human.stdout).toMatch(
      /files \(3\):\n {4}index.txt +1 B\n {4}model\/ +directory\n {4}model\/weights.bin +4.9 KiB \(5,000 bytes\)/,
    );
  });

  it("reads a checkpoint Python wrote (no manifest, pax long names)", async () => {
    const src = tempDir("inspect-py");
    const long = "d".repeat(60);
    mkdirSync(join(src, long, long), { recursive: true });
    writeFileSync(join(src, long, long, "deep.txt"), "deep");
    writeFileSync(join(src, "top.txt"), "top");
    const target = join(tempDir("inspect-py-out"), "_flytecheckpoints");
    pythonTar(src, target);
    const r = await inspect("inspect", "--json", target);
    expect(r.code).toBe(ExitCode.OK);
    const body = lastJsonLine(r.stdout);
    expect(body).toMatchObject({ format: "dir", manifestStatus: "absent" });
    expect((body["files"] as Array<{ path: string }>).map((f) => f.path)).toEqual([
      `${long}/`,
      `${long}/${long}/`,
      `${long}/${long}/deep.txt`,
      "top.txt",
    ]);
    expect((await inspect("inspect", target)).stdout).toMatch(
      /manifest +none \(written by the Python SDK/,
    );
  });

  it("says when the object is not the one its manifest vouches for, and when the archive is damaged: exit 1", async () => {
    const dir = tempDir("inspect-stale");
    const uri = join(dir, "_flytecheckpoints");
    await new Checkpoint(uri).save(new TextEncoder().encode("first"));
    const { storage, key } = resolveStorage(uri);
    await storage.put(key, "a later write the manifest does not describe");
    const damagedJson = await inspect("inspect", "--json", uri);
    expect(damagedJson.code).toBe(ExitCode.TASK_FAILED);
    expect(lastJsonLine(damagedJson.stdout)).toMatchObject({
      manifestStatus: "mismatch",
      format: "bytes",
      loadable: false,
      problemType: "CheckpointChecksumError",
    });

    const src = tempDir("inspect-trunc-src");
    writeFileSync(join(src, "big.bin"), Buffer.alloc(200_000, 7));
    const whole = join(tempDir("inspect-trunc"), "_flytecheckpoints");
    pythonTar(src, whole);
    const bytes = await resolveStorage(whole).storage.get(resolveStorage(whole).key);
    const cut = join(tempDir("inspect-cut"), "_flytecheckpoints");
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const damaged = await inspect("inspect", cut);
    expect(damaged.code).toBe(ExitCode.TASK_FAILED);
    expect(damaged.stdout).toMatch(
      /format +dir \(a gzip tar of a directory; load\(\) refuses it, see problem\)/,
    );
    expect(damaged.stdout).toMatch(
      /problem +CheckpointCorruptError: checkpoint archive is corrupt or truncated/,
    );
    expect(damaged.stdout).not.toContain("load() restores the directory");
  });

  it("shows an archive load() refuses (a symlink out) as refused, with exit 1", async () => {
    const target = join(tempDir("inspect-unsafe"), "_flytecheckpoints");
    execFileSync("python3", [
      "-c",
      "import tarfile,io,sys\nwith tarfile.open(sys.argv[1],'w:gz') as t:\n  i=tarfile.TarInfo('ok.txt'); i.size=2; t.addfile(i, io.BytesIO(b'ok'))\n  l=tarfile.TarInfo('python'); l.type=tarfile.SYMTYPE; l.linkname='/usr/bin/python3'; t.addfile(l)",
      target,
    ]);
    const r = await inspect("inspect", target);
    expect(r.code).toBe(ExitCode.TASK_FAILED);
    expect(r.stdout).toMatch(/load\(\) refuses it/);
    expect(r.stdout).toMatch(
      /problem +CheckpointUnsafeEntryError: unsafe archive entry "python": symlink to an absolute path/,
    );
    expect(r.stdout).toMatch(
      /files \(2, up to the problem\):\n {4}ok.txt +2 B\n {4}python +symlink -> \/usr\/bin\/python3/,
    );
    const json = lastJsonLine((await inspect("inspect", "--json", target)).stdout);
    expect(json).toMatchObject({
      format: "dir",
      loadable: false,
      verified: false,
      problemType: "CheckpointUnsafeEntryError",
    });
  });

  it("labels a gzip that holds no tar as raw, as load() does (not as a directory)", async () => {
    const target = join(tempDir("inspect-gz"), "_flytecheckpoints");
    writeFileSync(
      target,
      gzipSync(Buffer.from("a gzip file saved as a file, not a directory\n".repeat(50))),
    );
    const json = lastJsonLine((await inspect("inspect", "--json", target)).stdout);
    expect(json).toMatchObject({ format: "raw", loadable: true, manifestStatus: "absent" });
    expect(json["files"]).toBeUndefined();
  });

  it("reads a 64 MiB gzip of zeros in one linear pass (the end-of-archive marker stops the listing)", async () => {
    const target = join(tempDir("inspect-zeros"), "_flytecheckpoints");
    writeFileSync(target, gzipSync(Buffer.alloc(64 << 20), { level: 1 }));
    const r = await inspect("inspect", "--json", target);
    expect(r.code).toBe(ExitCode.OK);
    expect(lastJsonLine(r.stdout)).toMatchObject({ format: "dir", loadable: true, files: [] });
  }, 20_000);

  it("--json carries every field the text shows", async () => {
    const src = tempDir("inspect-json-src");
    writeFileSync(join(src, "a.txt"), "alpha");
    symlinkSync("a.txt", join(src, "link"));
    const uri = join(tempDir("inspect-json"), "_flytecheckpoints");
    await new Checkpoint(uri, undefined, { attempt: 3 }).save(src);
    const json = lastJsonLine((await inspect("inspect", "--json", uri)).stdout);
    expect(json).toMatchObject({
      uri,
      exists: true,
      format: "dir",
      loadable: true,
      verified: true,
      manifestStatus: "current",
      manifest: { version: 2, format: "dir", attempt: 3, writer: "@flyte/checkpoint" },
      files: [
        { path: "a.txt", type: "file", size: 5 },
        { path: "link", type: "symlink", size: 0, linkname: "a.txt" },
      ],
    });
    expect(typeof json["etag"]).toBe("string");
    expect(typeof json["lastModified"]).toBe("string");
    const human = (await inspect("inspect", uri)).stdout;
    expect(human).toMatch(/verified +yes/);
    expect(human).toMatch(/link +symlink -> a.txt/);
  });

  it("exits 1 when nothing is at the URI, listing what is below it", async () => {
    const dir = tempDir("inspect-none");
    await new Checkpoint(join(dir, "a0", "0", "_flytecheckpoints")).save(
      new TextEncoder().encode("1"),
    );
    const r = await inspect("inspect", join(dir, "a0"));
    expect(r.code).toBe(ExitCode.TASK_FAILED);
    expect(r.stdout).toContain("nothing stored here");
    expect(r.stdout).toContain("0/_flytecheckpoints");
  });

  it("refuses bad command lines with exit 2", async () => {
    for (const argv of [
      ["inspect"],
      ["inspect", "a", "b"],
      ["inspect", "--bogus", "a"],
      ["list"],
      [],
    ]) {
      expect((await inspect(...argv)).code).toBe(ExitCode.USAGE);
    }
    const help = await inspect("inspect", "--help");
    expect(help.code).toBe(ExitCode.OK);
    expect(help.stdout).toContain("flyte checkpoint inspect [--json] <uri>");
  });
});
