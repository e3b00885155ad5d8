/**
 * A full disk and a read-only one, for real (issue 14, item 10): a child process runs in a
 * mount namespace of its own (`unshare -r -m`) with a 256 KiB tmpfs as the destination and the
 * workspace, saves what does not fit, then remounts it read-only and saves again. Each gets its
 * own typed error, naming the URI once: `CheckpointNoSpaceError` (`NO_SPACE`) and
 * `CheckpointReadOnlyError` (`READ_ONLY`), not the base class nor "permission denied".
 * Skipped loudly where user namespaces are not allowed.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const probe = spawnSync(
  "unshare",
  ["-r", "-m", "sh", "-c", "mount -t tmpfs -o size=64k none /mnt"],
  { encoding: "utf8" },
);
const canMount = probe.status === 0;
if (!canMount)
  console.warn(
    `SKIPPING disk-fault tests: cannot mount a tmpfs in a user namespace here (${probe.stderr || probe.error?.message})`,
  );
const maybe = canMount ? describe : describe.skip;

maybe("10. disk full and read-only file systems", () => {
  let root: string;
  let results: Record<
    string,
    { name?: string; code?: string; uri?: string; message?: string; ok?: boolean }
  >;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "cp-diskfaults-"));
    const mount = join(root, "mnt");
    mkdirSync(mount);
    const big = join(root, "big.bin");
    writeFileSync(big, randomBytes(1 << 20));
    const bigDir = join(root, "big-dir");
    mkdirSync(bigDir);
    writeFileSync(join(bigDir, "weights.bin"), randomBytes(1 << 20));
    const child = spawnSync(
      "unshare",
      [
        "-r",
        "-m",
        "sh",
        "-c",
        'mount -t tmpfs -o size=256k none "$1" && exec "$0" --import tsx --conditions=@flyte/source "$2" "$1" "$3" "$4"',
        process.execPath,
        mount,
        join(__dirname, "fixtures", "diskFaults.mts"),
        big,
        bigDir,
      ],
      { cwd: resolve(__dirname, ".."), encoding: "utf8", timeout: 60_000 },
    );
    if (child.status !== 0)
      throw new Error(`the disk-fault child failed (${child.status}):\n${child.stderr}`);
    results = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as typeof results;
  }, 90_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const count = (text: string, part: string): number => text.split(part).length - 1;

  test.each(["saveFile", "saveSyncFile", "saveDir", "saveSyncDir"])(
    "%s on a full disk is CheckpointNoSpaceError (NO_SPACE), the URI named once",
    (what) => {
      const r = results[what]!;
      expect(r).toMatchObject({ name: "CheckpointNoSpaceError", code: "NO_SPACE" });
      expect(r.uri).toMatch(/\/full\/cp$/);
      expect(count(r.message!, r.uri!)).toBe(1);
    },
  );

  test.each(["saveBytesReadOnly", "saveSyncBytesReadOnly"])(
    "%s on a read-only file system is CheckpointReadOnlyError (READ_ONLY), not 'permission denied'",
    (what) => {
      const r = results[what]!;
      expect(r).toMatchObject({ name: "CheckpointReadOnlyError", code: "READ_ONLY" });
      expect(r.message).not.toContain("permission denied");
      expect(count(r.message!, r.uri!)).toBe(1);
    },
  );
});
