/**
 * JavaScript values as the Python values they stand for, in a tagged JSON that a python3 snippet
 * turns back into Python objects (`PY_FROM_TAGGED`): what msgpack-python would be given.
 */
export type Tagged =
  | { i: string }
  | { f: string }
  | { s: string }
  | { b: boolean }
  | { n: 1 }
  | { y: string }
  | { t: [string, number] }
  | { a: Tagged[] }
  | { m: [Tagged, Tagged][] };

const f64hex = (x: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(x);
  return b.toString("hex");
};

/** The Python value of a JavaScript value under the untyped rule (floats where `floats` says so). */
export function tagged(
  v: unknown,
  floatAt: (path: string) => boolean = () => false,
  path = "",
): Tagged {
  if (v === null) return { n: 1 };
  if (typeof v === "boolean") return { b: v };
  if (typeof v === "string") return { s: v };
  if (typeof v === "bigint") return { i: v.toString() };
  if (typeof v === "number") {
    const isInt = Number.isSafeInteger(v) && !Object.is(v, -0) && !floatAt(path);
    return isInt ? { i: String(v) } : { f: f64hex(v) };
  }
  if (v instanceof Uint8Array) return { y: Buffer.from(v).toString("hex") };
  if (v instanceof Date) {
    const ms = v.getTime();
    const sec = Math.floor(ms / 1000);
    return { t: [String(sec), (ms - sec * 1000) * 1_000_000] };
  }
  if (Array.isArray(v)) return { a: v.map((x, i) => tagged(x, floatAt, `${path}[${i}]`)) };
  if (typeof v === "object") {
    return {
      m: Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [{ s: k }, tagged(x, floatAt, `${path}.${k}`)] as [Tagged, Tagged]),
    };
  }
  throw new Error(`no Python value for ${typeof v}`);
}

/** Python: `py(tagged)` -> the Python object; timestamps as msgpack-python's Timestamp.to_bytes Ext. */
export const PY_FROM_TAGGED = `
import struct
def ts_bytes(sec, nsec):
    if sec >> 34 == 0:
        d = (nsec << 34) | sec
        return struct.pack(">I", d) if d & 0xffffffff00000000 == 0 else struct.pack(">Q", d)
    return struct.pack(">Iq", nsec, sec)
def py(t):
    k, v = next(iter(t.items()))
    if k == "i": return int(v)
    if k == "f": return struct.unpack(">d", bytes.fromhex(v))[0]
    if k == "s": return v
    if k == "b": return v
    if k == "n": return None
    if k == "y": return bytes.fromhex(v)
    if k == "t": return co.Ext(-1, ts_bytes(int(v[0]), v[1]))
    if k == "a": return [py(x) for x in v]
    if k == "m": return {py(a): py(b) for a, b in v}
    raise ValueError(k)
`;
