import fc from "fast-check";
import {
  CUSTOM_CONTEXT_WIRE_VERSION,
  CustomContextError,
  configureCustomContextLimits,
  decodeCustomContext,
  encodeCustomContext,
  maxCustomContextWireLength,
} from "@flyte/custom-context";

const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,20}$/);
// Full Unicode (no lone surrogates) with control characters and quotes, the worst case for JSON.
const value = fc.string({ maxLength: 40, unit: "grapheme" });
const map = fc.dictionary(key, value, { maxKeys: 20 });

/** Builds a wire text by hand, so refusals can be tested on inputs the encoder would not write. */
function wire(payload: unknown): string {
  return Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
}
function crc(entries: unknown): string {
  // Reference CRC-32 from zlib (node:zlib.crc32 is Node ≥ 20.15), independent of ours.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const zlib = require("node:zlib") as { crc32(data: string | Uint8Array): number };
  return zlib
    .crc32(Buffer.from(JSON.stringify(entries), "utf8"))
    .toString(16)
    .padStart(8, "0");
}
function refusedWith(text: unknown): CustomContextError {
  try {
    decodeCustomContext(text as string);
  } catch (e) {
    expect(e).toBeInstanceOf(CustomContextError);
    return e as CustomContextError;
  }
  throw new Error(`decoded without error: ${String(text)}`);
}

describe("encode/decode round trips", () => {
  it("returns the same map, in the same order, frozen (fast-check)", () => {
    fc.assert(
      fc.property(map, (m) => {
        const text = encodeCustomContext(m);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        const back = decodeCustomContext(text);
        expect(back).toEqual(m);
        expect(Object.entries(back)).toEqual(Object.entries(m));
        expect(Object.isFrozen(back)).toBe(true);
        // Deterministic: encoding the decoded map gives the same text.
        expect(encodeCustomContext(back)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it("writes the documented shape, readable with a plain JSON parser", () => {
    const text = encodeCustomContext({ a: "1", "b.c": "é" });
    const payload = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    expect(payload).toEqual({
      v: CUSTOM_CONTEXT_WIRE_VERSION,
      entries: [
        ["a", "1"],
        ["b.c", "é"],
      ],
      crc32: crc([
        ["a", "1"],
        ["b.c", "é"],
      ]),
    });
    expect(decodeCustomContext(wire(payload))).toEqual({ a: "1", "b.c": "é" });
  });

  it("round-trips the empty map and a map at the limits", () => {
    expect(decodeCustomContext(encodeCustomContext({}))).toEqual({});
    const full = Object.fromEntries(
      Array.from({ length: 64 }, (_, i) => [
        `k${String(i).padStart(2, "0")}`,
        "\u0001".repeat(124),
      ]),
    ); // 64 × (3 + 124) = 8128 bytes, every value byte JSON-escaped to 6 characters
    const text = encodeCustomContext(full);
    expect(text.length).toBeLessThanOrEqual(maxCustomContextWireLength());
    expect(decodeCustomContext(text)).toEqual(full);
  });

  it("refuses to encode what a scope would refuse", () => {
    expect(() => encodeCustomContext({ _u_x: "1" })).toThrow(
      expect.objectContaining({ code: "RESERVED_KEY" }),
    );
    expect(() => encodeCustomContext({ a: 1 as unknown as string })).toThrow(
      expect.objectContaining({ code: "NON_STRING_VALUE", key: "a" }),
    );
  });
});

describe("decode refusals", () => {
  afterEach(() => configureCustomContextLimits({ maxEntries: 64, maxBytes: 8192 }));

  it("refuses any single-character change of a valid text (fast-check)", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    fc.assert(
      fc.property(
        fc.dictionary(key, value, { minKeys: 1, maxKeys: 8 }),
        fc.nat(),
        fc.nat(),
        (m, at, by) => {
          const text = encodeCustomContext(m);
          const i = at % text.length;
          const c = alphabet[(alphabet.indexOf(text[i]!) + 1 + (by % 63)) % 64]!;
          const tampered = text.slice(0, i) + c + text.slice(i + 1);
          expect(tampered).not.toBe(text);
          expect(refusedWith(tampered).code).toMatch(/^WIRE_|MALFORMED_KEY|EMPTY_KEY|RESERVED_KEY/);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("refuses an edited value with a recomputed-nothing checksum as tampered", () => {
    const entries = [["user", "alice"]];
    const good = { v: 1, entries, crc32: crc(entries) };
    expect(decodeCustomContext(wire(good))).toEqual({ user: "alice" });
    const e = refusedWith(wire({ ...good, entries: [["user", "mallory"]] }));
    expect(e.code).toBe("WIRE_TAMPERED");
    expect(e.message).toMatch(/checksum/);
  });

  it("refuses every truncation", () => {
    const text = encodeCustomContext({ a: "1", b: "two", c: "trois" });
    for (let n = 0; n < text.length; n++) {
      expect(refusedWith(text.slice(0, n)).code).toMatch(/^WIRE_/);
    }
  });

  it("refuses oversized input before parsing it", () => {
    const huge = "A".repeat(maxCustomContextWireLength() + 1);
    const e = refusedWith(huge);
    expect(e.code).toBe("WIRE_TOO_LARGE");
    // A payload that is not even base64 is refused for its size first.
    expect(refusedWith("{".repeat(10_000_000)).code).toBe("WIRE_TOO_LARGE");
  });

  it("refuses a valid encoding whose map is over the receiver's limits", () => {
    const m = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, "v".repeat(100)]));
    const text = encodeCustomContext(m);
    configureCustomContextLimits({ maxEntries: 5 });
    const e = refusedWith(text);
    expect(e.code).toBe("TOO_MANY_ENTRIES");
    expect(e.key).toBe("k5");
    configureCustomContextLimits({ maxEntries: 64, maxBytes: 500 });
    expect(refusedWith(text).code).toMatch(/^(TOO_LARGE|WIRE_TOO_LARGE)$/);
    configureCustomContextLimits({ maxBytes: 8192 });
    expect(decodeCustomContext(text)).toEqual(m);
  });

  it.each<[string, unknown, string, RegExp]>([
    [
      "wrong version",
      { v: 2, entries: [], crc32: crc([]) },
      "WIRE_VERSION",
      /version 2.*version 1/,
    ],
    ["no version", { entries: [], crc32: crc([]) }, "WIRE_VERSION", /./],
    ["a string version", { v: "1", entries: [], crc32: crc([]) }, "WIRE_VERSION", /./],
    [
      "an unknown field",
      { v: 1, entries: [], crc32: crc([]), extra: 1 },
      "WIRE_MALFORMED",
      /"extra"/,
    ],
    [
      "entries not an array",
      { v: 1, entries: { a: "1" }, crc32: crc({ a: "1" }) },
      "WIRE_MALFORMED",
      /./,
    ],
    ["no checksum", { v: 1, entries: [] }, "WIRE_MALFORMED", /crc32/],
    [
      "a triple",
      { v: 1, entries: [["a", "1", "x"]], crc32: crc([["a", "1", "x"]]) },
      "WIRE_MALFORMED",
      /./,
    ],
    ["a JSON array", [1, [], "x"], "WIRE_MALFORMED", /./],
    ["JSON null", null, "WIRE_MALFORMED", /./],
    [
      "a duplicate key",
      {
        v: 1,
        entries: [
          ["a", "1"],
          ["a", "2"],
        ],
        crc32: crc([
          ["a", "1"],
          ["a", "2"],
        ]),
      },
      "WIRE_DUPLICATE_KEY",
      /"a" twice/,
    ],
    [
      "a reserved key",
      { v: 1, entries: [["_f_x", "1"]], crc32: crc([["_f_x", "1"]]) },
      "RESERVED_KEY",
      /./,
    ],
    [
      "a __proto__ key",
      { v: 1, entries: [["__proto__", "1"]], crc32: crc([["__proto__", "1"]]) },
      "MALFORMED_KEY",
      /./,
    ],
    ["a number key", { v: 1, entries: [[1, "1"]], crc32: crc([[1, "1"]]) }, "NON_STRING_KEY", /./],
    [
      "a number value",
      { v: 1, entries: [["a", 1]], crc32: crc([["a", 1]]) },
      "NON_STRING_VALUE",
      /./,
    ],
    ["an empty key", { v: 1, entries: [["", "1"]], crc32: crc([["", "1"]]) }, "EMPTY_KEY", /./],
  ])("refuses %s", (_label, payload, code, message) => {
    const e = refusedWith(wire(payload));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it.each<[string, unknown]>([
    ["a number", 42],
    ["undefined", undefined],
    ["the empty string", ""],
    ["padded base64", Buffer.from('{"v":1}').toString("base64")],
    ["standard (not url) base64", "a+b/"],
    ["whitespace", " " + encodeCustomContext({ a: "1" })],
    ["non-canonical trailing bits", encodeCustomContext({ a: "1" }).slice(0, -1) + "B"],
    ["bytes that are not UTF-8", Buffer.from([0xff, 0xfe, 0x7b]).toString("base64url")],
    ["text that is not JSON", Buffer.from("v=1;a=1").toString("base64url")],
    ["plain JSON (not base64url)", '{"v":1,"entries":[]}'],
  ])("refuses %s as malformed", (_label, text) => {
    expect(refusedWith(text).code).toBe("WIRE_MALFORMED");
  });
});
