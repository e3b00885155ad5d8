/**
 * The canonical msgpack re-encoding the inputs hash uses (flyte-sdk `convert.py`
 * `_canonical_msgpack_bytes`): `packb(canonicalize(unpackb(data, strict_map_key=False)))` with map
 * keys sorted by their packed bytes, recursively — and the bytes unchanged when Python could not
 * decode or re-encode them.
 *
 * This works on the bytes, not through a JavaScript value: a decoded JavaScript value cannot tell
 * a float64 `2.0` from an int `2`, or a float32 from a float64, and both survive Python's round
 * trip differently (floats come back float64, ints in their smallest form). So each element is
 * read and re-written as msgpack-python reads and writes it:
 * ints in their smallest form, float32 as float64, str/bin/array/map with their smallest header,
 * timestamps (ext -1) in msgpack-python's `Timestamp.to_bytes` form, other extensions as read;
 * map entries sorted by packed key, equal keys merged as a Python dict merges them (1, 1.0 and
 * True are one key; the first key is kept with the last value).
 */

import { concatBytes } from "../internal/concatBytes.js";

class Unchanged extends Error {}

const utf8 = new TextDecoder("utf-8", { fatal: true });

interface Reader {
  readonly b: Uint8Array;
  readonly v: DataView;
  i: number;
}

function need(r: Reader, n: number): void {
  if (r.i + n > r.b.length) throw new Unchanged();
}

function u8(r: Reader): number {
  need(r, 1);
  return r.b[r.i++]!;
}
function u16(r: Reader): number {
  need(r, 2);
  const x = r.v.getUint16(r.i);
  r.i += 2;
  return x;
}
function u32(r: Reader): number {
  need(r, 4);
  const x = r.v.getUint32(r.i);
  r.i += 4;
  return x;
}
function take(r: Reader, n: number): Uint8Array {
  need(r, n);
  const out = r.b.subarray(r.i, r.i + n);
  r.i += n;
  return out;
}

/** A re-encoded element and, for map keys, its identity as a Python dict key. */
interface Element {
  readonly bytes: Uint8Array;
  /** `undefined`: unhashable in Python (a list or dict), so not usable as a key. */
  readonly key: string | undefined;
}

function intBytes(n: bigint): Uint8Array {
  const out = new Uint8Array(9);
  const v = new DataView(out.buffer);
  if (n >= 0n) {
    if (n < 0x80n) return Uint8Array.of(Number(n));
    if (n <= 0xffn) return Uint8Array.of(0xcc, Number(n));
    if (n <= 0xffffn) {
      out[0] = 0xcd;
      v.setUint16(1, Number(n));
      return out.subarray(0, 3);
    }
    if (n <= 0xffffffffn) {
      out[0] = 0xce;
      v.setUint32(1, Number(n));
      return out.subarray(0, 5);
    }
    out[0] = 0xcf;
    v.setBigUint64(1, n);
    return out;
  }
  if (n >= -32n) return Uint8Array.of(Number(n) & 0xff);
  if (n >= -0x80n) return Uint8Array.of(0xd0, Number(n) & 0xff);
  if (n >= -0x8000n) {
    out[0] = 0xd1;
    v.setInt16(1, Number(n));
    return out.subarray(0, 3);
  }
  if (n >= -0x80000000n) {
    out[0] = 0xd2;
    v.setInt32(1, Number(n));
    return out.subarray(0, 5);
  }
  out[0] = 0xd3;
  v.setBigInt64(1, n);
  return out;
}

function int(n: bigint): Element {
  return { bytes: intBytes(n), key: `n:${n}` };
}

let nanKeys = 0;

function float(x: number): Element {
  const out = new Uint8Array(9);
  out[0] = 0xcb;
  new DataView(out.buffer).setFloat64(1, x);
  // A whole float equals the int of the same value as a Python dict key; NaN equals nothing.
  const key = Number.isNaN(x)
    ? `nan:${nanKeys++}`
    : Number.isInteger(x)
      ? `n:${BigInt(x)}`
      : `f:${x}`;
  return { bytes: out, key };
}

function withHeader(
  len: number,
  fix: number | undefined,
  fixMax: number,
  codes: readonly [number, number, number],
  body: Uint8Array,
): Uint8Array {
  let head: number[];
  if (fix !== undefined && len <= fixMax) head = [fix | len];
  else if (len <= 0xff && codes[0] !== 0) head = [codes[0], len];
  else if (len <= 0xffff) head = [codes[1], len >>> 8, len & 0xff];
  else head = [codes[2], len >>> 24, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff];
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

function hex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

function str(data: Uint8Array): Element {
  let text: string;
  try {
    text = utf8.decode(data); // Python's unpackb(raw=False) refuses invalid UTF-8
  } catch {
    throw new Unchanged();
  }
  return { bytes: withHeader(data.length, 0xa0, 31, [0xd9, 0xda, 0xdb], data), key: `s:${text}` };
}

function bin(data: Uint8Array): Element {
  return {
    bytes: withHeader(data.length, undefined, -1, [0xc4, 0xc5, 0xc6], data),
    key: `b:${hex(data)}`,
  };
}

function extBytes(type: number, data: Uint8Array): Uint8Array {
  const fixed: Record<number, number> = { 1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8 };
  const code = fixed[data.length];
  const typeByte = type & 0xff;
  if (code !== undefined) return concatBytes([Uint8Array.of(code, typeByte), data]);
  const sized = withHeader(data.length, undefined, -1, [0xc7, 0xc8, 0xc9], data);
  // The type byte sits between the length and the data.
  const headLen = sized.length - data.length;
  return concatBytes([sized.subarray(0, headLen), Uint8Array.of(typeByte), data]);
}

/** msgpack-python's `Timestamp.from_bytes` then `to_bytes`. */
function timestamp(data: Uint8Array): Element {
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let sec: bigint;
  let nsec: number;
  if (data.length === 4) {
    sec = BigInt(v.getUint32(0));
    nsec = 0;
  } else if (data.length === 8) {
    const d = v.getBigUint64(0);
    nsec = Number(d >> 34n);
    sec = d & 0x3ffffffffn;
  } else if (data.length === 12) {
    nsec = v.getUint32(0);
    sec = v.getBigInt64(4);
  } else {
    throw new Unchanged();
  }
  if (nsec > 999_999_999) throw new Unchanged();
  let out: Uint8Array;
  if (sec >> 34n === 0n) {
    const d64 = (BigInt(nsec) << 34n) | sec;
    if ((d64 & 0xffffffff00000000n) === 0n) {
      out = new Uint8Array(4);
      new DataView(out.buffer).setUint32(0, Number(d64));
    } else {
      out = new Uint8Array(8);
      new DataView(out.buffer).setBigUint64(0, d64);
    }
  } else {
    out = new Uint8Array(12);
    const w = new DataView(out.buffer);
    w.setUint32(0, nsec);
    w.setBigInt64(4, sec);
  }
  return { bytes: extBytes(-1, out), key: `t:${sec}:${nsec}` };
}

function ext(r: Reader, len: number): Element {
  const type = (u8(r) << 24) >> 24; // signed
  const data = take(r, len);
  if (type === -1) return timestamp(data);
  return { bytes: extBytes(type, data), key: `e:${type}:${hex(data)}` };
}

function array(r: Reader, n: number): Element {
  const parts: Uint8Array[] = [];
  for (let k = 0; k < n; k++) parts.push(element(r).bytes);
  return { bytes: withHeader(n, 0x90, 15, [0, 0xdc, 0xdd], concatBytes(parts)), key: undefined };
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function map(r: Reader, n: number): Element {
  const entries = new Map<string, { key: Uint8Array; value: Uint8Array }>();
  for (let k = 0; k < n; k++) {
    const key = element(r);
    const value = element(r).bytes;
    if (key.key === undefined) throw new Unchanged(); // unhashable key: Python raises
    const seen = entries.get(key.key);
    if (seen === undefined) entries.set(key.key, { key: key.bytes, value });
    else seen.value = value;
  }
  const sorted = [...entries.values()].sort((a, b) => compareBytes(a.key, b.key));
  const body = concatBytes(sorted.flatMap((e) => [e.key, e.value]));
  return { bytes: withHeader(sorted.length, 0x80, 15, [0, 0xde, 0xdf], body), key: undefined };
}

function element(r: Reader): Element {
  const c = u8(r);
  if (c <= 0x7f) return int(BigInt(c));
  if (c >= 0xe0) return int(BigInt(c - 0x100));
  if (c >= 0x80 && c <= 0x8f) return map(r, c & 0x0f);
  if (c >= 0x90 && c <= 0x9f) return array(r, c & 0x0f);
  if (c >= 0xa0 && c <= 0xbf) return str(take(r, c & 0x1f));
  switch (c) {
    case 0xc0:
      return { bytes: Uint8Array.of(0xc0), key: "nil" };
    case 0xc2:
      return { bytes: Uint8Array.of(0xc2), key: "n:0" };
    case 0xc3:
      return { bytes: Uint8Array.of(0xc3), key: "n:1" };
    case 0xc4:
      return bin(take(r, u8(r)));
    case 0xc5:
      return bin(take(r, u16(r)));
    case 0xc6:
      return bin(take(r, u32(r)));
    case 0xc7:
      return ext(r, u8(r));
    case 0xc8:
      return ext(r, u16(r));
    case 0xc9:
      return ext(r, u32(r));
    case 0xca: {
      need(r, 4);
      const x = r.v.getFloat32(r.i);
      r.i += 4;
      return float(x);
    }
    case 0xcb: {
      need(r, 8);
      const x = r.v.getFloat64(r.i);
      r.i += 8;
      return float(x);
    }
    case 0xcc:
      return int(BigInt(u8(r)));
    case 0xcd:
      return int(BigInt(u16(r)));
    case 0xce:
      return int(BigInt(u32(r)));
    case 0xcf: {
      need(r, 8);
      const x = r.v.getBigUint64(r.i);
      r.i += 8;
      return int(x);
    }
    case 0xd0:
      need(r, 1);
      return int(BigInt(r.v.getInt8(r.i++)));
    case 0xd1: {
      need(r, 2);
      const x = r.v.getInt16(r.i);
      r.i += 2;
      return int(BigInt(x));
    }
    case 0xd2: {
      need(r, 4);
      const x = r.v.getInt32(r.i);
      r.i += 4;
      return int(BigInt(x));
    }
    case 0xd3: {
      need(r, 8);
      const x = r.v.getBigInt64(r.i);
      r.i += 8;
      return int(x);
    }
    case 0xd4:
      return ext(r, 1);
    case 0xd5:
      return ext(r, 2);
    case 0xd6:
      return ext(r, 4);
    case 0xd7:
      return ext(r, 8);
    case 0xd8:
      return ext(r, 16);
    case 0xd9:
      return str(take(r, u8(r)));
    case 0xda:
      return str(take(r, u16(r)));
    case 0xdb:
      return str(take(r, u32(r)));
    case 0xdc:
      return array(r, u16(r));
    case 0xdd:
      return array(r, u32(r));
    case 0xde:
      return map(r, u16(r));
    case 0xdf:
      return map(r, u32(r));
    default:
      throw new Unchanged(); // 0xc1 is never used
  }
}

/** {@link canonicalMsgpack} the plain way (an element at a time, allocating): for maps whose keys Python may merge across types (1, 1.0, True). */
export function canonicalMsgpackSlow(data: Uint8Array): Uint8Array {
  const r: Reader = {
    b: data,
    v: new DataView(data.buffer, data.byteOffset, data.byteLength),
    i: 0,
  };
  try {
    const e = element(r);
    if (r.i !== data.length) return data; // trailing bytes: Python's ExtraData
    return e.bytes;
  } catch (e) {
    if (e instanceof Unchanged || e instanceof RangeError) return data;
    throw e;
  }
}
