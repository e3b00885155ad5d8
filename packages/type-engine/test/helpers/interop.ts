/**
 * The shared interop material (vectors made by Python, and `check_outputs.py`): `shared/interop`
 * beside the repository (how CI lays it out), `/work/shared/interop` (the team's machines), or
 * `FLYTE_INTEROP_DIR`. Missing, the suites fail rather than skip: they are the proof.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

function findInterop(): string {
  const candidates = [
    process.env["FLYTE_INTEROP_DIR"],
    resolve(__dirname, "../../../../../shared/interop"),
    "/work/shared/interop",
  ].filter((p): p is string => p !== undefined && p !== "");
  const found = candidates.find((p) => existsSync(join(p, "check_outputs.py")));
  if (found === undefined) {
    throw new Error(
      `interop material not found (looked in ${candidates.join(", ")}); set FLYTE_INTEROP_DIR`,
    );
  }
  return found;
}

export const INTEROP = findInterop();
export const VECTORS = join(INTEROP, "vectors");
export const CHECKER = join(INTEROP, "check_outputs.py");

/** The bytes of a vector file. */
export function vectorBytes(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(join(VECTORS, ...parts)));
}

/** A vector's JSON side file. */
export function vectorJson<T = any>(...parts: string[]): T {
  return JSON.parse(readFileSync(join(VECTORS, ...parts), "utf8")) as T;
}

/** Runs `python3 check_outputs.py <args>`; returns status and output. */
export function checker(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync("python3", [CHECKER, ...args], { encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs a Python snippet with the checker importable as `co` and `files` (name -> bytes) written
 * to a temp folder whose path is the snippet's `DIR`; returns its stdout parsed as JSON. One
 * python3 start for many cases.
 */
export function withChecker<T = any>(files: Record<string, Uint8Array>, script: string): T {
  const dir = mkdtempSync(join(tmpdir(), "te-interop-"));
  try {
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
    const prelude = [
      "import sys, json, os, importlib.util",
      `spec = importlib.util.spec_from_file_location("co", ${JSON.stringify(CHECKER)})`,
      "co = importlib.util.module_from_spec(spec); spec.loader.exec_module(co)",
      `DIR = ${JSON.stringify(dir)}`,
      "def read(name):",
      "    with open(os.path.join(DIR, name), 'rb') as f: return f.read()",
    ].join("\n");
    const r = spawnSync("python3", ["-c", `${prelude}\n${script}`], {
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`python3 failed (${r.status}):\n${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
