/**
 * What generation `g` of the crash loop saves, for each kind of checkpoint, and a canonical
 * digest of it, computed the same way from the description (the parent) and from the restored
 * tree (the loader child), so "byte-identical to generation g" is one string comparison.
 */
import { createHash } from "node:crypto";
import {
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

/** The kinds of checkpoint the crash loop saves. */
export type CrashMode = "file" | "dir" | "json";

/** A directory checkpoint as data: files by relative path, and directories (possibly empty). */
export interface TreeSpec {
  readonly files: Readonly<Record<string, Uint8Array>>;
  readonly dirs: readonly string[];
}

/** Deterministic bytes (xorshift32) for `seed`. */
export function bytesFor(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * The JSON value of generation `g`. Consecutive generations often have the same length (the
 * padding cycles), so a check that only compared sizes could not tell them apart.
 */
export function jsonFor(g: number): { gen: number; pad: string; data: number[] } {
  return {
    gen: g,
    pad: "p".repeat((g % 3) * 40),
    data: Array.from({ length: 8 }, (_, i) => (g * 31 + i) % 97),
  };
}

/** The file saved as generation `g`: 48 KiB to ~300 KiB. */
export function fileFor(g: number): Uint8Array {
  return bytesFor(48 * 1024 + (g % 5) * 64 * 1024 + (g % 7), g * 7919 + 1);
}

/** The directory saved as generation `g`: nested, with an empty folder and binary files. */
export function treeFor(g: number): TreeSpec {
  return {
    files: {
      "index.txt": new TextEncoder().encode(String(g)),
      "model/weights.bin": bytesFor(96 * 1024 + (g % 4) * 40 * 1024, g * 104729 + 3),
      "model/deep/er/state.json": new TextEncoder().encode(JSON.stringify(jsonFor(g))),
      [`gen-${g % 3}.bin`]: bytesFor(1000 + g, g + 17),
    },
    dirs: ["empty", "model", "model/deep", "model/deep/er"],
  };
}

/** Writes a tree into `dir` (replacing what was there). */
export function writeTree(dir: string, spec: TreeSpec): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const d of spec.dirs) mkdirSync(join(dir, d), { recursive: true });
  for (const [rel, bytes] of Object.entries(spec.files)) writeFileSync(join(dir, rel), bytes);
}

const sha = (bytes: Uint8Array | string): string =>
  createHash("sha256").update(bytes).digest("hex");

/** The canonical digest of a tree description. */
export function treeDigest(spec: TreeSpec): string {
  const lines = [
    ...spec.dirs.map((d) => `d ${d}`),
    ...Object.entries(spec.files).map(([rel, bytes]) => `f ${rel} ${sha(bytes)}`),
  ].sort();
  return sha(lines.join("\n"));
}

/** The canonical digest of a directory on disk (links are listed by target; mtimes ignored). */
export function digestDir(dir: string): string {
  const lines: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel))) {
      const r = rel === "" ? name : `${rel}/${name}`;
      const st = lstatSync(join(dir, r));
      if (st.isSymbolicLink()) lines.push(`l ${r} ${readlinkSync(join(dir, r))}`);
      else if (st.isDirectory()) {
        lines.push(`d ${r}`);
        walk(r);
      } else lines.push(`f ${r} ${sha(readFileSync(join(dir, r)))}`);
    }
  };
  walk("");
  return sha(lines.sort().join("\n"));
}

/** The digest the loader must report for generation `g`. */
export function expectedDigest(mode: CrashMode, g: number): string {
  switch (mode) {
    case "json":
      return sha(JSON.stringify(jsonFor(g)));
    case "file":
      return sha(fileFor(g));
    case "dir":
      return treeDigest(treeFor(g));
  }
}

/** The digest of what `load` restored at `path` (a `payload` file, or a directory). */
export function digestLoaded(mode: CrashMode, path: string): string {
  if (mode === "dir") return digestDir(path);
  const bytes = readFileSync(path);
  // JSON is compared by value re-serialized, so the check is about content, not whitespace.
  return mode === "json" ? sha(JSON.stringify(JSON.parse(bytes.toString("utf8")))) : sha(bytes);
}
