/**
 * Writes tar archives by hand, so a test can say anything a header can say: any name, link
 * target, type flag, mode and declared size (also one that disagrees with the data that
 * follows), pax records and GNU long names. tar-stream and tar(1) refuse to write most of these.
 */

/** One hand-made entry. */
export interface CraftedEntry {
  readonly name: string;
  /** Type flag: "0" file, "1" hard link, "2" symlink, "3"/"4" devices, "5" dir, "6" FIFO, "x" pax, "L" GNU long name, ... */
  readonly type: string;
  readonly linkname?: string;
  readonly mode?: number;
  /** The size written in the header; defaults to `data.length`. */
  readonly declaredSize?: number;
  /** Encode the size in base-256 (GNU) instead of octal. */
  readonly base256Size?: boolean;
  readonly data?: Uint8Array;
}

const enc = new TextEncoder();

function putString(block: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = enc.encode(value);
  block.set(bytes.subarray(0, length), offset);
}

function putOctal(block: Uint8Array, offset: number, length: number, value: number): void {
  putString(
    block,
    offset,
    length,
    `${Math.max(0, value)
      .toString(8)
      .padStart(length - 1, "0")
      .slice(-(length - 1))}\0`,
  );
}

function header(entry: CraftedEntry): Uint8Array {
  const block = new Uint8Array(512);
  putString(block, 0, 100, entry.name);
  putOctal(block, 100, 8, entry.mode ?? 0o644);
  putOctal(block, 108, 8, 0);
  putOctal(block, 116, 8, 0);
  const size = entry.declaredSize ?? entry.data?.length ?? 0;
  if (entry.base256Size) {
    block[124] = 0x80;
    let v = BigInt(Math.max(0, Math.floor(size)));
    for (let i = 135; i > 124; i--) {
      block[i] = Number(v & 0xffn);
      v >>= 8n;
    }
  } else {
    putOctal(block, 124, 12, size);
  }
  putOctal(block, 136, 12, 1_700_000_000);
  block.fill(0x20, 148, 156);
  putString(block, 156, 1, entry.type);
  putString(block, 157, 100, entry.linkname ?? "");
  putString(block, 257, 6, "ustar\0");
  putString(block, 263, 2, "00");
  let sum = 0;
  for (const b of block) sum += b;
  putString(block, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return block;
}

/** A pax header entry carrying `records` (e.g. `{ path: "../x" }`). */
export function paxEntry(records: Readonly<Record<string, string>>): CraftedEntry {
  const lines = Object.entries(records).map(([k, v]) => {
    const body = ` ${k}=${v}\n`;
    let len = body.length + 1;
    while (String(len).length + enc.encode(body).length !== len)
      len = String(len).length + enc.encode(body).length;
    return `${len}${body}`;
  });
  return { name: "PaxHeaders/x", type: "x", data: enc.encode(lines.join("")) };
}

/** The bytes of a tar holding `entries`, with or without the closing zero blocks. */
export function craftTar(entries: readonly CraftedEntry[], close = true): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    parts.push(header(entry));
    const data = entry.data ?? new Uint8Array(0);
    parts.push(data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad > 0) parts.push(new Uint8Array(pad));
  }
  if (close) parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
