import { Gunzip } from "fflate";
import { crc32 } from "../checksum/crc32.js";

/**
 * Compressed input is fed in 16 KiB slices: deflate expands at most ~1032:1, so one push can
 * never produce more than ~16.5 MiB, even from a gzip bomb.
 */
const SLICE = 16 * 1024;

/**
 * A blocking, incremental gunzip in JavaScript: fflate's streaming inflater, with the gzip
 * CRC-32 and length checked here (fflate does not). Input is fed in small slices, so what one
 * call holds stays bounded whatever the compression ratio; but every slice allocates fresh
 * buffers, so garbage waits for the collector. `SyncGunzipReader` uses it only where Node's
 * native inflater cannot be driven synchronously.
 */
export class FflateGunzip {
  private readonly inflater: Gunzip;
  private crc = 0;
  private length = 0;
  private members = 0;
  private readonly tail = new Uint8Array(8);
  private tailLength = 0;
  private consumerError: { error: unknown } | undefined;

  /** @param onData receives each decompressed chunk (it may keep it). */
  constructor(private readonly onData: (chunk: Uint8Array) => void) {
    this.inflater = new Gunzip((chunk) => {
      this.crc = crc32(chunk, this.crc);
      this.length += chunk.length;
      if (chunk.length === 0) return;
      try {
        this.onData(chunk);
      } catch (error) {
        // Not a gzip problem: the consumer refused the data. Passed on untouched.
        this.consumerError = { error };
        throw error;
      }
    });
    this.inflater.onmember = () => {
      this.members++;
    };
  }

  /** Feeds compressed bytes; `final` on the last call (an empty chunk is fine). */
  push(chunk: Uint8Array, final = false): void {
    let offset = 0;
    do {
      const end = Math.min(chunk.length, offset + SLICE);
      const part = chunk.subarray(offset, end);
      this.remember(part);
      const last = final && end === chunk.length;
      try {
        this.inflater.push(part, last);
      } catch (error) {
        if (this.consumerError) throw this.consumerError.error;
        throw new TypeError(`gzip stream is corrupt or truncated: ${(error as Error).message}`, { cause: error });
      }
      offset = end;
    } while (offset < chunk.length);
    if (final) this.verifyTrailer();
  }

  /** Bytes decompressed so far. */
  get outputBytes(): number {
    return this.length;
  }

  private remember(part: Uint8Array): void {
    if (part.length >= 8) {
      this.tail.set(part.subarray(part.length - 8));
      this.tailLength = 8;
      return;
    }
    const keep = Math.min(this.tailLength, 8 - part.length);
    this.tail.copyWithin(0, this.tailLength - keep, this.tailLength);
    this.tail.set(part, keep);
    this.tailLength = keep + part.length;
  }

  private verifyTrailer(): void {
    // Concatenated members each carry their own trailer; only a single member is checked here.
    if (this.members > 1 || this.tailLength < 8) return;
    const view = new DataView(this.tail.buffer, this.tail.byteOffset, 8);
    const crc = view.getUint32(0, true);
    const size = view.getUint32(4, true);
    if (crc !== this.crc >>> 0) throw new TypeError("gzip CRC-32 mismatch: the archive is corrupt");
    if (size !== this.length % 2 ** 32) throw new TypeError("gzip length mismatch: the archive is corrupt");
  }
}
