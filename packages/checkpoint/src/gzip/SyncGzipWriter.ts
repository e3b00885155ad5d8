import { constants, crc32, deflateRawSync } from "node:zlib";

/** Input is compressed in slices of this size; each slice is one native deflate call. */
const SLICE = 1 << 20;
/** Deflate's window: each slice is primed with the previous 32 KiB so compression is not lost. */
const WINDOW = 32 * 1024;

/**
 * A blocking gzip writer with bounded memory, built on Node's native deflate (`deflateRawSync`)
 * the way pigz builds parallel gzip: each 1 MiB slice is compressed independently, primed with
 * the previous slice's last 32 KiB as a dictionary and ended with a sync flush, so the slices
 * concatenate into one valid deflate stream; the gzip header, CRC-32 and length are framed here.
 * Node's zlib has no public incremental *sync* API, and this keeps native speed.
 */
export class SyncGzipWriter {
  private readonly pending: Buffer = Buffer.allocUnsafe(SLICE);
  private pendingLength = 0;
  private dictionary: Buffer | undefined;
  private crc = 0;
  private length = 0;
  private finished = false;

  /**
   * @param level zlib level 0–9.
   * @param out receives compressed chunks; it may keep them (they are never reused).
   */
  constructor(
    private readonly level: number,
    private readonly out: (chunk: Uint8Array) => void,
  ) {
    const xfl = level >= 9 ? 2 : level <= 1 ? 4 : 0;
    // magic, CM=deflate, no flags, mtime 0, XFL, OS=255 (unknown), like a reproducible gzip -n.
    out(Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 255));
  }

  /** Compresses `chunk` (copied; the caller may reuse it). */
  write(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length) {
      const n = Math.min(chunk.length - offset, SLICE - this.pendingLength);
      this.pending.set(chunk.subarray(offset, offset + n), this.pendingLength);
      this.pendingLength += n;
      offset += n;
      if (this.pendingLength === SLICE) this.flushSlice();
    }
  }

  /** Writes the last slice, the final deflate block and the gzip trailer. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.pendingLength > 0) this.flushSlice();
    const trailer = Buffer.allocUnsafe(10);
    // An empty final block with fixed Huffman codes (BFINAL=1, BTYPE=01, end-of-block): 0x03 0x00.
    trailer[0] = 0x03;
    trailer[1] = 0x00;
    trailer.writeUInt32LE(this.crc >>> 0, 2);
    trailer.writeUInt32LE(this.length % 2 ** 32, 6);
    this.out(trailer);
  }

  private flushSlice(): void {
    const input = this.pending.subarray(0, this.pendingLength);
    this.crc = crc32(input, this.crc);
    this.length += input.length;
    const options: { level: number; finishFlush: number; dictionary?: Buffer } = {
      level: this.level,
      finishFlush: constants.Z_SYNC_FLUSH,
    };
    if (this.dictionary) options.dictionary = this.dictionary;
    this.out(deflateRawSync(input, options));
    // Keep a copy of the window: `pending` is about to be overwritten.
    this.dictionary = Buffer.from(input.subarray(Math.max(0, input.length - WINDOW)));
    this.pendingLength = 0;
  }
}
