/**
 * Safe extraction: archives crafted with python3's tarfile that try to write outside the
 * workspace are refused with CheckpointUnsafeEntryError, and nothing lands outside.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Checkpoint, CheckpointUnsafeEntryError } from "@flyte/checkpoint";
import { python } from "./helpers/python.js";

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "cp-slip-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * Builds a w:gz archive from a list of members given as JSON: {name, type, data?, linkname?}.
 * `{OUT}` in names and link targets is replaced with an absolute path outside the workspace.
 */
const craft = `
import io, json, sys, tarfile
types = {"file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE,
         "chr": tarfile.CHRTYPE, "blk": tarfile.BLKTYPE, "fifo": tarfile.FIFOTYPE}
for members, out in json.loads(sys.argv[1]):
  with tarfile.open(out, "w:gz") as tar:
    for m in members:
        info = tarfile.TarInfo(m["name"])
        info.type = types[m["type"]]
        info.linkname = m.get("linkname", "")
        data = m.get("data", "").encode()
        info.size = len(data) if info.type == tarfile.REGTYPE else 0
        info.mode = m.get("mode", 0o644)
        tar.addfile(info, io.BytesIO(data) if info.type == tarfile.REGTYPE else None)
`;

let n = 0;
interface Member {
  name: string;
  type: "file" | "dir" | "symlink" | "hardlink" | "chr" | "blk" | "fifo";
  data?: string;
  linkname?: string;
  mode?: number;
}

/** Crafts every archive in one python3 run; returns their paths. */
function archives(sets: Member[][], outside: string): string[] {
  const jobs = sets.map((members) => [members, join(root, `evil-${++n}.tar.gz`)] as const);
  python(craft, JSON.stringify(jobs).replaceAll("{OUT}", outside));
  return jobs.map(([, path]) => path);
}

const cases: [string, () => Member[]][] = [
  ["an absolute path", () => [{ name: "{OUT}/pwned", type: "file", data: "x" }]],
  ["a .. path", () => [{ name: "../../pwned", type: "file", data: "x" }]],
  ["a .. hidden in the middle", () => [{ name: "a/../../pwned", type: "file", data: "x" }]],
  ["a symlink to an absolute path", () => [{ name: "link", type: "symlink", linkname: "{OUT}" }]],
  ["a symlink that climbs out", () => [{ name: "d/link", type: "symlink", linkname: "../../.." }]],
  [
    "a file written through a symlink in the archive",
    () => [
      { name: "link", type: "symlink", linkname: "." },
      { name: "link/pwned", type: "file", data: "x" },
    ],
  ],
  [
    "a chain of links that only escapes together",
    () => [
      { name: "d/e/l1", type: "symlink", linkname: ".." },
      { name: "d/l2", type: "symlink", linkname: "e/l1/.." },
      { name: "l3", type: "symlink", linkname: "d/l2/.." },
    ],
  ],
  [
    "a hard link to a file outside",
    () => [{ name: "hl", type: "hardlink", linkname: "{OUT}/secret" }],
  ],
  ["a hard link that climbs out", () => [{ name: "hl", type: "hardlink", linkname: "../secret" }]],
  ["a character device", () => [{ name: "tty", type: "chr" }]],
  ["a block device", () => [{ name: "disk", type: "blk" }]],
  ["a FIFO", () => [{ name: "pipe", type: "fifo" }]],
];

let outside: string;
let evil: Map<string, string>;
let safe: string;
beforeAll(() => {
  outside = join(root, "outside");
  mkdirSync(outside);
  writeFileSync(join(outside, "secret"), "s");
  const paths = archives(
    [
      ...cases.map(([, members]) => [
        { name: "ok.txt", type: "file" as const, data: "fine" },
        ...members(),
      ]),
      [
        { name: "d/target", type: "file", data: "t" },
        { name: "d/rel", type: "symlink", linkname: "target" },
        { name: "up", type: "symlink", linkname: "d/../d/target" },
        { name: "hl", type: "hardlink", linkname: "d/target" },
        { name: "./dot/x", type: "file", data: "y" },
        { name: "suid", type: "file", data: "z", mode: 0o4777 },
      ],
    ],
    outside,
  );
  evil = new Map(cases.map(([label], i) => [label, paths[i]!]));
  safe = paths[paths.length - 1]!;
});

describe.each(["async", "sync"] as const)("tar-slip is refused (%s)", (mode) => {
  test.each(cases)("%s", async (label) => {
    const object = evil.get(label)!;
    using cp = new Checkpoint(join(root, `dest-${n}`), object, { onWarning: () => undefined });
    const error = await (
      mode === "async" ? cp.load() : Promise.resolve().then(() => cp.loadSync())
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointUnsafeEntryError);
    expect((error as Error).message).toContain(object);
    // Nothing escaped, and nothing half-restored was published.
    expect(readdirSync(outside)).toEqual(["secret"]);
    expect(existsSync(join(root, "pwned"))).toBe(false);
    expect(readdirSync(cp.path)).toEqual([]);
  });

  test("links that stay inside, and a safe hard link, are restored", async () => {
    const object = safe;
    using cp = new Checkpoint(join(root, `dest-ok-${mode}`), object);
    const path = (await (mode === "async" ? cp.load() : cp.loadSync()))!;
    expect(readdirSync(path).sort()).toEqual(["d", "dot", "hl", "suid", "up"]);
    const { readFileSync, statSync } = await import("node:fs");
    expect(readFileSync(join(path, "up"), "utf8")).toBe("t");
    expect(readFileSync(join(path, "hl"), "utf8")).toBe("t");
    expect(readFileSync(join(path, "dot/x"), "utf8")).toBe("y");
    // set-id bits and group/other write are stripped (Python's data filter does the same).
    expect(statSync(join(path, "suid")).mode & 0o7777).toBe(0o755);
  });
});
