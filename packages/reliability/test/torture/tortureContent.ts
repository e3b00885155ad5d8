/**
 * What the torture run's savers write, generation by generation, and how a loader checks what
 * it got. Every value names its saver and generation inside itself and is otherwise derived
 * from them, so a loaded value is checked whole against what that save wrote: a torn read (a
 * mix of two versions, an archive returned as bytes, a truncated object) cannot pass.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bytesFor, digestDir } from "../crash/crashContent.js";

/** The formats generations cycle through. */
export type TortureFormat = "bytes" | "file" | "dir";

/** The format of generation `gen`. */
export function formatOf(gen: number): TortureFormat {
  return (["bytes", "file", "dir"] as const)[gen % 3]!;
}

/** Generation `gen` of saver `saver` as bytes: JSON naming both, of varying length. */
export function jsonBytes(saver: number, gen: number): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({ saver, gen, pad: "p".repeat((gen * 37 + saver * 11) % 400) }),
  );
}

/** Generation `gen` of saver `saver` as a file: a header line, then 16–200 KiB derived from both. */
export function fileBytes(saver: number, gen: number): Uint8Array {
  const header = new TextEncoder().encode(`${saver} ${gen}\n`);
  const body = bytesFor(
    16 * 1024 + ((gen * 7919 + saver * 104729) % (184 * 1024)),
    saver * 1_000_003 + gen + 1,
  );
  return Buffer.concat([header, body]);
}

/** Writes generation `gen` of saver `saver` as a directory tree into `dir` (replacing it). */
export function writeTreeFor(dir: string, saver: number, gen: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "model", "deep"), { recursive: true });
  mkdirSync(join(dir, "empty"));
  writeFileSync(join(dir, "index.json"), JSON.stringify({ saver, gen }));
  writeFileSync(
    join(dir, "model", "weights.bin"),
    bytesFor(8 * 1024 + ((gen * 31 + saver) % 64) * 1024, saver * 7 + gen * 13 + 5),
  );
  writeFileSync(join(dir, "model", "deep", "state.json"), JSON.stringify({ step: gen, of: saver }));
}

let scratch = 0;
/** The digest a tree of generation `gen` of saver `saver` has (written once into `work` to compute it). */
function treeDigest(work: string, saver: number, gen: number): string {
  const dir = join(work, `expected-${process.pid}-${++scratch}`);
  writeTreeFor(dir, saver, gen);
  try {
    return digestDir(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const same = (a: Uint8Array, b: Uint8Array): boolean =>
  Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

/**
 * Checks a loaded checkpoint: `undefined` when it is exactly what some save wrote, in the
 * format that save used; otherwise what is wrong.
 */
export function checkLoaded(path: string, format: string, work: string): string | undefined {
  try {
    if (format === "dir") {
      const { saver, gen } = JSON.parse(readFileSync(join(path, "index.json"), "utf8")) as {
        saver: number;
        gen: number;
      };
      if (formatOf(gen) !== "dir")
        return `a directory claiming generation ${gen}, which was saved as ${formatOf(gen)}`;
      return digestDir(path) === treeDigest(work, saver, gen)
        ? undefined
        : `directory of saver ${saver} generation ${gen} differs (torn)`;
    }
    const bytes = readFileSync(path);
    if (format === "bytes") {
      const { saver, gen } = JSON.parse(bytes.toString("utf8")) as { saver: number; gen: number };
      if (formatOf(gen) !== "bytes")
        return `bytes claiming generation ${gen}, which was saved as ${formatOf(gen)}`;
      return same(bytes, jsonBytes(saver, gen))
        ? undefined
        : `bytes of saver ${saver} generation ${gen} differ (torn)`;
    }
    const [saver, gen] = bytes
      .subarray(0, bytes.indexOf(0x0a))
      .toString("utf8")
      .split(" ")
      .map(Number) as [number, number];
    if (formatOf(gen) !== "file")
      return `a file claiming generation ${gen}, which was saved as ${formatOf(gen)}`;
    return same(bytes, fileBytes(saver, gen))
      ? undefined
      : `file of saver ${saver} generation ${gen} differs (torn)`;
  } catch (error) {
    return `a ${format} that is no saved value (${createHash("sha256").update(String(error)).digest("hex").slice(0, 8)}: ${String(error).slice(0, 200)})`;
  }
}
