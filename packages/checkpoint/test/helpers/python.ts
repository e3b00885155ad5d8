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
 * Prints "dir" or "payload".
 */
export const pythonLoad = `
import sys, tarfile, pathlib, shutil
obj, dest = sys.argv[1], pathlib.Path(sys.argv[2])
dest.mkdir(parents=True, exist_ok=True)
if tarfile.is_tarfile(obj):
    with tarfile.open(obj) as tar:
        tar.extractall(dest, filter="data")
    print("dir")
else:
    shutil.copyfile(obj, dest / "payload")
    print("payload")
`;
