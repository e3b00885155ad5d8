import { closeSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
import { createChecksum } from "../checksum/createChecksum.js";
import type { ChecksumAlgorithm } from "../checksum/createChecksum.js";
import { SNIFF_BYTES, sniffFormat } from "../sniffFormat.js";
import type { SniffedFormat } from "../sniffFormat.js";
import { readChunksSync } from "./extractArchive.js";

/** A local file's size and checksums. */
export interface FileDigests {
  readonly size: number;
  readonly digests: ReadonlyMap<ChecksumAlgorithm, string>;
}

function summer(algorithms: readonly ChecksumAlgorithm[]) {
  const sums = algorithms.map(createChecksum);
  let size = 0;
  return {
    update(chunk: Uint8Array): void {
      size += chunk.length;
      for (const s of sums) s.update(chunk);
    },
    result(): FileDigests {
      return { size, digests: new Map(sums.map((s) => [s.algorithm, s.digest()])) };
    },
  };
}

/** Sums a local file with each algorithm, in one pass (blocking). */
export function digestFileSync(
  path: string,
  algorithms: readonly ChecksumAlgorithm[],
): FileDigests {
  const s = summer(algorithms);
  readChunksSync(path, (chunk) => s.update(chunk));
  return s.result();
}

/** Sums a local file with each algorithm, in one pass (one reused 4 MiB buffer). */
export async function digestFile(
  path: string,
  algorithms: readonly ChecksumAlgorithm[],
  signal?: AbortSignal,
): Promise<FileDigests> {
  const s = summer(algorithms);
  const handle = await open(path, "r");
  try {
    const buf = Buffer.allocUnsafe(4 << 20);
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      s.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return s.result();
}

/** Python's sniff of a local file's first bytes. */
export function sniffFileSync(path: string): SniffedFormat {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return sniffFormat(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}
