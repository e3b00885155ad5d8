import zlib from "node:zlib";

/** Node's native CRC-32 (zlib's, several GB/s), present from Node 20.15 and 22.2 on. */
const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

let table: Uint32Array | undefined;

/**
 * CRC-32 in JavaScript (the same IEEE polynomial as gzip, zlib and `zlib.crc32`), one table
 * lookup per byte: a few hundred MB/s, for runtimes without the native one.
 *
 * @param value the CRC of the bytes before `data` (0 to start), so a stream can be summed in chunks.
 */
export function crc32Js(data: Uint8Array, value = 0): number {
  table ??= makeTable();
  let crc = ~value >>> 0;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

function makeTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/**
 * CRC-32 of `data` continuing from `value` (0 to start): Node's native `zlib.crc32` where the
 * runtime has it, {@link crc32Js} otherwise. Returns an unsigned 32-bit integer.
 */
export const crc32: (data: Uint8Array, value?: number) => number =
  typeof native === "function" ? (data, value = 0) => native(data, value) : crc32Js;
