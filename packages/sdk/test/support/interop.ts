/**
 * The interop oracle: `python3 ../shared/interop/check_outputs.py`, a standard-library decoder
 * and hasher of the files a Flyte 2 task container reads and writes, made from the Python SDK.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/** /work/shared/interop, found from the repository (the shared folder is its sibling). */
export const INTEROP_DIR = [
  resolve(__dirname, "..", "..", "..", "..", "..", "shared", "interop"),
  "/work/shared/interop",
].find((d) => existsSync(join(d, "check_outputs.py")))!;
export const VECTORS = join(INTEROP_DIR, "vectors");

/** What the checker said. */
export interface CheckResult {
  readonly code: number | null;
  readonly out: string;
}

/** Runs `check_outputs.py ...args`. */
export function checker(...args: string[]): CheckResult {
  const r = spawnSync("python3", [join(INTEROP_DIR, "check_outputs.py"), ...args], {
    encoding: "utf8",
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The checker's decoding of `file` as JSON (`decode --as kind`). */
export function decodeWithPython(
  file: string,
  kind: "inputs" | "outputs" | "error",
): Record<string, unknown> {
  const r = checker("decode", file, "--as", kind);
  if (r.code !== 0) throw new Error(`check_outputs.py decode failed:\n${r.out}`);
  return JSON.parse(r.out) as Record<string, unknown>;
}
