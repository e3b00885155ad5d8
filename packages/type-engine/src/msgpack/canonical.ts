/**
 * The canonical msgpack re-encoding the inputs hash uses (flyte-sdk `convert.py`
 * `_canonical_msgpack_bytes`): `packb(canonicalize(unpackb(data, strict_map_key=False)))`, map
 * keys sorted by their packed bytes, recursively; the bytes unchanged when Python could not
 * decode or re-encode them. See `canonicalSlow.ts` for the rules, element by element; this is
 * the same in one pass over one output buffer (elements already in their canonical form are
 * copied as they are), which is what the hash of a 10,000-record list needs. A map with a key
 * that Python might merge with a key of another type (a bool or a float: 1, 1.0 and True are
 * one dict key) goes the slow way.
 */
import { canonicalMsgpackSlow } from "./canonicalSlow.js";

class Unchanged extends Error {}
class Exotic extends Error {}

const utf8 = new TextDecoder("utf-8", { fatal: true });
/** Reused while sorting map entries (one at a time: the re-encoder is synchronous). */
let scratch = new Uint8Array(1024);
const FIXEXT: Record<number, number> = { 1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8 };

/** The output buffer, reused across calls (the re-encoder is synchronous); results are copies. */
let shared = new Uint8Array(4096);
let sharedView = new DataView(shared.buffer);
/** For float32 -> float64: the input's bytes read as a float. */
const f32 = new DataView(new ArrayBuffer(4));

class Canon {
  private i = 0;
  private out = shared;
  private n = 0;
  private outView = sharedView;

  constructor(private readonly b: Uint8Array) {}

  /** The canonical bytes, or `undefined` when they are the input's own. */
  run(): Uint8Array | undefined {
    this.element();
    if (this.i !== this.b.length) throw new Unchanged();
    const b = this.b;
    const o = this.out;
    let same = this.n === b.length;
    for (let k = 0; same && k < b.length; k++) same = o[k] === b[k];
    return same ? undefined : o.slice(0, this.n);
  }

  private need(k: number): void {
    if (this.i + k > this.b.length) throw new Unchanged();
  }

  private room(k: number): void {
    if (this.n + k <= this.out.length) return;
    const bigger = new Uint8Array(Math.max(this.out.length * 2, this.n + k));
    bigger.set(this.out.subarray(0, this.n));
    this.out = shared = bigger;
    this.outView = sharedView = new DataView(bigger.buffer);
  }

  private byte(x: number): void {
    this.room(1);
    this.out[this.n++] = x;
  }

  private copy(from: number, to: number): void {
    const len = to - from;
    this.room(len);
    if (len <= 16) {
      const o = this.out;
      const b = this.b;
      for (let k = 0; k < len; k++) o[this.n + k] = b[from + k]!;
    } else this.out.set(this.b.subarray(from, to), this.n);
    this.n += len;
  }

  private u8(): number {
    this.need(1);
    return this.b[this.i++]!;
  }
  private u16(): number {
    this.need(2);
    const b = this.b;
    const x = (b[this.i]! << 8) | b[this.i + 1]!;
    this.i += 2;
    return x;
  }
  private u32(): number {
    this.need(4);
    const b = this.b;
    const x =
      ((b[this.i]! << 24) | (b[this.i + 1]! << 16) | (b[this.i + 2]! << 8) | b[this.i + 3]!) >>> 0;
    this.i += 4;
    return x;
  }
  private u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }

  /** A length header: fix form up to `fixMax`, then 8/16/32-bit forms (`c8` 0: none). */
  private header(
    len: number,
    fix: number,
    fixMax: number,
    c8: number,
    c16: number,
    c32: number,
  ): void {
    this.room(5);
    const o = this.out;
    if (len <= fixMax) o[this.n++] = fix | len;
    else if (len <= 0xff && c8 !== 0) {
      o[this.n++] = c8;
      o[this.n++] = len;
    } else if (len <= 0xffff) {
      o[this.n++] = c16;
      this.outView.setUint16(this.n, len);
      this.n += 2;
    } else {
      o[this.n++] = c32;
      this.outView.setUint32(this.n, len);
      this.n += 4;
    }
  }

  /** Writes `code` then `x` in `width` bytes, big-endian (width 8: `x` as a bigint). */
  private sized(code: number, width: 1 | 2 | 4 | 8, x: number): void {
    const o = this.out;
    o[this.n++] = code;
    if (width === 1) o[this.n] = x & 0xff;
    else if (width === 2) this.outView.setUint16(this.n, x & 0xffff);
    else if (width === 4) this.outView.setUint32(this.n, x >>> 0);
    else this.outView.setBigUint64(this.n, BigInt.asUintN(64, BigInt(x)));
    this.n += width;
  }

  /** An int in its smallest form (as msgpack-python writes it); |x| < 2^53 here. */
  private int(x: number): void {
    this.room(9);
    if (x >= 0) {
      if (x < 0x80) this.out[this.n++] = x;
      else if (x <= 0xff) this.sized(0xcc, 1, x);
      else if (x <= 0xffff) this.sized(0xcd, 2, x);
      else if (x <= 0xffffffff) this.sized(0xce, 4, x);
      else this.sized(0xcf, 8, x);
    } else if (x >= -32) this.out[this.n++] = x & 0xff;
    else if (x >= -0x80) this.sized(0xd0, 1, x);
    else if (x >= -0x8000) this.sized(0xd1, 2, x);
    else if (x >= -0x80000000) this.sized(0xd2, 4, x);
    else this.sized(0xd3, 8, x);
  }

  private bigInt(x: bigint): void {
    if (x >= -(2n ** 53n) && x <= 2n ** 53n) return this.int(Number(x));
    this.room(9);
    this.out[this.n++] = x >= 0n ? 0xcf : 0xd3;
    this.outView.setBigUint64(this.n, BigInt.asUintN(64, x));
    this.n += 8;
  }

  private str(len: number): void {
    this.need(len);
    const start = this.i;
    const end = start + len;
    let ascii = true;
    for (let k = start; k < end; k++) {
      if (this.b[k]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (!ascii) {
      try {
        utf8.decode(this.b.subarray(start, end)); // Python's unpackb(raw=False) refuses invalid UTF-8
      } catch {
        throw new Unchanged();
      }
    }
    this.header(len, 0xa0, 31, 0xd9, 0xda, 0xdb);
    this.i = end;
    this.copy(start, end);
  }

  private bin(len: number): void {
    this.need(len);
    this.header(len, 0, -1, 0xc4, 0xc5, 0xc6);
    this.copy(this.i, this.i + len);
    this.i += len;
  }

  private ext(len: number): void {
    const type = (this.u8() << 24) >> 24;
    this.need(len);
    if (type === -1) throw new Exotic(); // timestamps: Python re-encodes them; the slow path does
    const fixed = FIXEXT[len];
    if (fixed !== undefined) this.byte(fixed);
    else this.header(len, 0, -1, 0xc7, 0xc8, 0xc9);
    this.byte(type & 0xff);
    this.copy(this.i, this.i + len);
    this.i += len;
  }

  private float64(x: number): void {
    this.room(9);
    this.out[this.n++] = 0xcb;
    this.outView.setFloat64(this.n, x);
    this.n += 8;
  }

  private array(count: number): void {
    this.header(count, 0x90, 15, 0, 0xdc, 0xdd);
    for (let k = 0; k < count; k++) this.element();
  }

  private map(count: number): void {
    // Entries are written after 5 bytes left for the header, then put in key order in place;
    // the header (its size depends on the count left after merging equal keys) goes in front.
    this.room(5);
    const headerAt = this.n;
    const bodyStart = headerAt + 5;
    this.n = bodyStart;
    const starts = new Array<number>(count + 1);
    const valueStarts = new Array<number>(count);
    for (let k = 0; k < count; k++) {
      starts[k] = this.n;
      const first = this.i < this.b.length ? this.b[this.i]! : 0;
      // bool and float keys may equal an int key in Python: the slow path merges them right.
      if (first === 0xc2 || first === 0xc3 || first === 0xca || first === 0xcb) throw new Exotic();
      if ((first >= 0x80 && first <= 0x9f) || (first >= 0xdc && first <= 0xdf)) {
        throw new Unchanged(); // a list or dict key: unhashable in Python
      }
      this.element();
      valueStarts[k] = this.n;
      this.element();
    }
    starts[count] = this.n;
    let kept = count;
    let sorted = true;
    for (let k = 1; k < count && sorted; k++) {
      if (this.compareKeys(starts[k - 1]!, valueStarts[k - 1]!, starts[k]!, valueStarts[k]!) >= 0)
        sorted = false;
    }
    if (!sorted) kept = this.sortEntries(count, bodyStart, starts, valueStarts);
    // The header, then the body moved up against it.
    const bodyLen = this.n - bodyStart;
    this.n = headerAt;
    this.header(kept, 0x80, 15, 0, 0xde, 0xdf);
    this.out.copyWithin(this.n, bodyStart, bodyStart + bodyLen);
    this.n += bodyLen;
  }

  /** Puts the entries in key order (equal keys merged, last value kept); returns their count. */
  private sortEntries(
    count: number,
    bodyStart: number,
    starts: number[],
    valueStarts: number[],
  ): number {
    const idx = new Array<number>(count);
    for (let k = 0; k < count; k++) idx[k] = k;
    const cmp = (a: number, b: number) =>
      this.compareKeys(starts[a]!, valueStarts[a]!, starts[b]!, valueStarts[b]!) || a - b;
    if (count <= 16) {
      for (let k = 1; k < count; k++) {
        const x = idx[k]!;
        let j = k - 1;
        while (j >= 0 && cmp(idx[j]!, x) > 0) {
          idx[j + 1] = idx[j]!;
          j--;
        }
        idx[j + 1] = x;
      }
    } else idx.sort(cmp);
    const bodyLen = starts[count]! - bodyStart;
    if (scratch.length < bodyLen) scratch = new Uint8Array(Math.max(bodyLen, scratch.length * 2));
    let at = 0;
    let kept = 0;
    for (let k = 0; k < count; k++) {
      const j = idx[k]!;
      const next = idx[k + 1];
      // Equal keys are byte-equal here (no bool or float keys): keep the last one's value.
      if (
        next !== undefined &&
        this.compareKeys(starts[j]!, valueStarts[j]!, starts[next]!, valueStarts[next]!) === 0
      )
        continue;
      const entry = this.out.subarray(starts[j]!, starts[j + 1]!);
      scratch.set(entry, at);
      at += entry.length;
      kept++;
    }
    this.out.set(scratch.subarray(0, at), bodyStart);
    this.n = bodyStart + at;
    return kept;
  }

  private compareKeys(a0: number, a1: number, b0: number, b1: number): number {
    const o = this.out;
    const la = a1 - a0;
    const lb = b1 - b0;
    const m = Math.min(la, lb);
    for (let k = 0; k < m; k++) {
      const d = o[a0 + k]! - o[b0 + k]!;
      if (d !== 0) return d;
    }
    return la - lb;
  }

  private element(): void {
    const at = this.i;
    const c = this.u8();
    if (c <= 0x7f || c >= 0xe0) return this.copy(at, at + 1);
    if (c <= 0x8f) return this.map(c & 0x0f);
    if (c <= 0x9f) return this.array(c & 0x0f);
    if (c <= 0xbf) return this.str(c & 0x1f);
    switch (c) {
      case 0xc0:
      case 0xc2:
      case 0xc3:
        return this.copy(at, at + 1);
      case 0xc4:
        return this.bin(this.u8());
      case 0xc5:
        return this.bin(this.u16());
      case 0xc6:
        return this.bin(this.u32());
      case 0xc7:
        return this.ext(this.u8());
      case 0xc8:
        return this.ext(this.u16());
      case 0xc9:
        return this.ext(this.u32());
      case 0xca:
        f32.setUint32(0, this.u32());
        return this.float64(f32.getFloat32(0));
      case 0xcb:
        this.need(8);
        this.i += 8;
        return this.copy(at, at + 9);
      case 0xcc:
        return this.int(this.u8());
      case 0xcd:
        return this.int(this.u16());
      case 0xce:
        return this.int(this.u32());
      case 0xcf:
        this.need(8);
        return this.bigInt(this.u64());
      case 0xd0:
        return this.int((this.u8() << 24) >> 24);
      case 0xd1:
        return this.int((this.u16() << 16) >> 16);
      case 0xd2:
        return this.int(this.u32() | 0);
      case 0xd3:
        this.need(8);
        return this.bigInt(BigInt.asIntN(64, this.u64()));
      case 0xd4:
        return this.ext(1);
      case 0xd5:
        return this.ext(2);
      case 0xd6:
        return this.ext(4);
      case 0xd7:
        return this.ext(8);
      case 0xd8:
        return this.ext(16);
      case 0xd9:
        return this.str(this.u8());
      case 0xda:
        return this.str(this.u16());
      case 0xdb:
        return this.str(this.u32());
      case 0xdc:
        return this.array(this.u16());
      case 0xdd:
        return this.array(this.u32());
      case 0xde:
        return this.map(this.u16());
      case 0xdf:
        return this.map(this.u32());
      default:
        throw new Unchanged(); // 0xc1 is never used
    }
  }
}

/** `data` re-encoded canonically, or `data` itself when Python would have left it unchanged. */
export function canonicalMsgpack(data: Uint8Array): Uint8Array {
  try {
    // Already canonical: the same bytes (callers compare by identity to skip re-serializing).
    return new Canon(data).run() ?? data;
  } catch (e) {
    if (e instanceof Unchanged || e instanceof RangeError) return data;
    if (e instanceof Exotic) return canonicalMsgpackSlow(data);
    throw e;
  }
}
