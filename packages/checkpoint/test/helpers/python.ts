import { spawnSync } from "node:child_process";

/**
 * Runs a python3 script (the real `tarfile` / `gzip` modules) with arguments and returns its
 * stdout. Fails the test with Python's stderr when the script fails.
 */
export function python(script: string, ...args: string[]): string {
  const result = spawnSync("python3", ["-c", script, ...args], { encoding: "utf8" });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`python3 failed (${result.status}):\n${result.stderr}`);
  return result.stdout;
}

/**
 * What the Python SDK's `Checkpoint.save(dir)` writes: a `w:gz` tar of the directory's
 * immediate children, sorted, each under `arcname = child.name` (flyte/_checkpoint.py).
 */
export const pythonSaveDir = `
import sys, tarfile, pathlib
src, out = pathlib.Path(sys.argv[1]), sys.argv[2]
with tarfile.open(out, "w:gz") as tar:
    for child in sorted(src.iterdir()):
        tar.add(child, arcname=child.name)
`;

/**
 * What the Python SDK's \`Checkpoint.load()\` does with a downloaded object: extract it when
 * \`tarfile.is_tarfile\` says so (here with the safe 'data' filter), else keep it as \`payload\`.
 * Prints "dir" or "payload". Pythons without extraction filters (3.11 before 3.11.4, as Debian
 * 12 ships) get the 'data' filter's refusals checked by hand first, so the test means the same
 * on every python3 a machine has.
 */
export const pythonLoad = `
import sys, tarfile, pathlib, shutil, posixpath
obj, dest = sys.argv[1], pathlib.Path(sys.argv[2])
dest.mkdir(parents=True, exist_ok=True)

def refuse_like_data_filter(tar):
    for m in tar.getmembers():
        name = posixpath.normpath(m.name)
        if name.startswith("/") or name == ".." or name.startswith("../"):
            raise SystemExit(f"unsafe member name {m.name!r}")
        if not (m.isreg() or m.isdir() or m.issym() or m.islnk()):
            raise SystemExit(f"special file {m.name!r}")
        if m.issym() or m.islnk():
            base = posixpath.dirname(name) if m.issym() else ""
            target = posixpath.normpath(posixpath.join(base, m.linkname))
            if m.linkname.startswith("/") or target == ".." or target.startswith("../"):
                raise SystemExit(f"link {m.name!r} points outside: {m.linkname!r}")

if tarfile.is_tarfile(obj):
    with tarfile.open(obj) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:
            refuse_like_data_filter(tar)
            tar.extractall(dest)
    print("dir")
else:
    shutil.copyfile(obj, dest / "payload")
    print("payload")
`;
