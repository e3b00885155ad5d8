import { constants, gunzipSync } from "node:zlib";
import { BLOCK, checksumMatches, isZeroBlock } from "./tar/tarHeader.js";

/** How an object without a (current) manifest is read, decided the way Python's `is_tarfile` would. */
export type SniffedFormat = "tar.gz" | "tar" | "raw";

/** How many leading bytes {@link sniffFormat} wants. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * Decides from the first bytes of an object whether it is a directory archive. A gzip stream
 * whose first 512 decompressed bytes are a valid tar header (or the end-of-archive block of an
 * empty tar) is a `tar.gz`; an uncompressed tar header is a `tar`; anything else (bytes, a file,
 * a `.gz` that holds no tar) is `raw`, restored as `payload`.
 *
 * @param head the first bytes of the object (up to {@link SNIFF_BYTES}).
 */
export function sniffFormat(head: Uint8Array): SniffedFormat {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const inflated = inflatePrefix(head);
    if (inflated === undefined || inflated.length < BLOCK) return "raw";
    const block = inflated.subarray(0, BLOCK);
    return isZeroBlock(block) || checksumMatches(block) ? "tar.gz" : "raw";
  }
  if (head.length >= BLOCK) {
    const block = head.subarray(0, BLOCK);
    // An all-zero block is not taken for an (empty) tar: zero-filled bytes must stay bytes.
    if (!isZeroBlock(block) && checksumMatches(block)) return "tar";
  }
  return "raw";
}

/**
 * Decompresses the start of a gzip stream. The last 8 bytes are left out so a small, complete
 * object is judged on its content, not on its CRC (a damaged CRC is reported by the restore
 * itself, as corruption, rather than turning the archive into a `payload`).
 */
function inflatePrefix(head: Uint8Array): Uint8Array | undefined {
  for (const length of [head.length - 8, 16 * 1024, 4 * 1024, 1024]) {
    if (length <= 10 || length > head.length - 8) continue;
    try {
      // Partial input: a sync flush returns what the prefix decompresses to without failing.
      const out = gunzipSync(head.subarray(0, length), { finishFlush: constants.Z_SYNC_FLUSH });
      if (out.length >= BLOCK) return out;
    } catch {
      // damaged further in: try a shorter prefix
    }
  }
  return undefined;
}
