/**
 * Tar header blocks, as Python's `tarfile` and GNU tar write them: ustar headers, pax extended
 * headers (`x`, `g`) and GNU long names (`L`, `K`). Encoding writes ustar, and a pax header only
 * when a name or size does not fit (the form every tar reader, Python's included, understands).
 */

/** The size of a tar block. */
export const BLOCK = 512;
/** Python pads archives to a multiple of this (tarfile.RECORDSIZE). */
export const RECORD = 20 * BLOCK;

/** The entry kinds this package stores or restores; anything else is refused on load. */
export type TarEntryType = "file" | "directory" | "symlink" | "hardlink" | "meta" | "unsupported";

/** One decoded header block (before pax / GNU long-name records are applied). */
export interface RawTarHeader {
  name: string;
  linkname: string;
  mode: number;
  size: number;
  mtime: number;
  typeflag: string;
}

const decoder = new TextDecoder("utf-8");

function cString(block: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && block[end] !== 0) end++;
  return decoder.decode(block.subarray(start, end));
}

/** Reads a numeric field: octal ASCII, or base-256 when the high bit of the first byte is set. */
function readNumber(block: Uint8Array, start: number, length: number): number {
  const first = block[start]!;
  if (first & 0x80) {
    // GNU base-256 (Python writes it for sizes past 8 GiB in GNU format); positive only here.
    let value = first & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i]!;
    return value;
  }
  const text = cString(block, start, length).trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw new TypeError(`invalid octal field ${JSON.stringify(text)}`);
  return parseInt(text, 8);
}

/** True when the 512 bytes are all zero (the end-of-archive marker). */
export function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/** True when the header checksum matches, signed or unsigned (as Python accepts either). */
export function checksumMatches(block: Uint8Array): boolean {
  let stored: number;
  try {
    stored = readNumber(block, 148, 8);
  } catch {
    return false;
  }
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

/** Decodes one header block; throws a `TypeError` saying what is wrong when it is not one. */
export function decodeHeader(block: Uint8Array): RawTarHeader {
  if (!checksumMatches(block)) throw new TypeError("bad tar header checksum");
  let name = cString(block, 0, 100);
  const magic = cString(block, 257, 6);
  // ustar ("ustar\0") has a prefix field; the old GNU magic ("ustar  ") reuses those bytes.
  if (magic === "ustar" && block[262] === 0) {
    const prefix = cString(block, 345, 155);
    if (prefix) name = `${prefix}/${name}`;
  }
  const flag = block[156]!;
  return {
    name,
    linkname: cString(block, 157, 100),
    mode: readNumber(block, 100, 8),
    size: readNumber(block, 124, 12),
    mtime: readNumber(block, 136, 12),
    typeflag: flag === 0 ? "0" : String.fromCharCode(flag),
  };
}

/** Maps a typeflag to what it means here. */
export function entryType(typeflag: string): TarEntryType {
  switch (typeflag) {
    case "0":
    case "7": // contiguous file: a regular file for every reader
      return "file";
    case "5":
      return "directory";
    case "2":
      return "symlink";
    case "1":
      return "hardlink";
    case "x":
    case "g":
    case "L":
    case "K":
      return "meta";
    case "3": // character device
    case "4": // block device
    case "6": // FIFO
    case "S": // GNU sparse: would restore garbage without sparse-map support
      return "unsupported";
    default:
      // POSIX: unknown types are read as regular files (Python does the same).
      return "file";
  }
}

/** Parses pax extended-header records (`"%d %s=%s\n"`). */
export function parsePaxRecords(data: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === 0) break;
    let space = pos;
    while (space < data.length && data[space] !== 0x20) space++;
    const length = parseInt(decoder.decode(data.subarray(pos, space)), 10);
    if (!Number.isFinite(length) || length <= 0 || pos + length > data.length) {
      throw new TypeError("malformed pax record");
    }
    const record = data.subarray(space + 1, pos + length - 1); // drop the trailing "\n"
    const eq = record.indexOf(0x3d);
    if (eq < 0) throw new TypeError("malformed pax record");
    records.set(decoder.decode(record.subarray(0, eq)), decoder.decode(record.subarray(eq + 1)));
    pos += length;
  }
  return records;
}

/** What {@link encodeHeader} needs to describe one entry. */
export interface TarEntrySpec {
  /** Archive name; directories end with "/". */
  readonly name: string;
  readonly type: "file" | "directory" | "symlink";
  readonly mode: number;
  readonly size: number;
  /** Seconds since the epoch. */
  readonly mtime: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly linkname?: string;
}

const encoder = new TextEncoder();
const MAX_OCTAL_12 = 8 ** 11 - 1;

function isAscii(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s);
}

function writeString(block: Uint8Array, start: number, length: number, value: string): void {
  const bytes = encoder.encode(value);
  block.set(bytes.subarray(0, length), start);
}

function writeOctal(block: Uint8Array, start: number, length: number, value: number): void {
  // `length - 1` digits plus a NUL, zero padded, as Python's itn() writes.
  const text = Math.max(0, Math.floor(value))
    .toString(8)
    .padStart(length - 1, "0");
  writeString(block, start, length, `${text}\0`);
}

function ustarBlock(
  spec: TarEntrySpec,
  typeflag: string,
  name: string,
  linkname: string,
  size: number,
): Uint8Array {
  const block = new Uint8Array(BLOCK);
  writeString(block, 0, 100, name);
  writeOctal(block, 100, 8, spec.mode & 0o7777);
  writeOctal(block, 108, 8, Math.min(spec.uid ?? 0, 0o7777777));
  writeOctal(block, 116, 8, Math.min(spec.gid ?? 0, 0o7777777));
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, Math.min(Math.max(spec.mtime, 0), MAX_OCTAL_12));
  block.fill(0x20, 148, 156);
  block[156] = typeflag.charCodeAt(0);
  writeString(block, 157, 100, linkname);
  writeString(block, 257, 6, "ustar\0");
  writeString(block, 263, 2, "00");
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += block[i]!;
  // Checksum: six octal digits, NUL, space (the classic layout every reader accepts).
  writeString(block, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return block;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLength = encoder.encode(body).length;
  // The length prefix counts itself: find the fixed point.
  let length = bodyLength + 1;
  while (String(length).length + bodyLength !== length) length = String(length).length + bodyLength;
  return `${length}${body}`;
}

/** Pads `length` up to a whole number of blocks. */
export function paddingFor(length: number): number {
  const rest = length % BLOCK;
  return rest === 0 ? 0 : BLOCK - rest;
}

/**
 * Encodes the header of one entry: one ustar block, preceded by a pax header when the name or
 * link target is longer than ustar allows or not ASCII, or the size needs more than 11 octal digits.
 */
export function encodeHeader(spec: TarEntrySpec): Uint8Array {
  const linkname = spec.linkname ?? "";
  const size = spec.type === "file" ? spec.size : 0;
  const typeflag = spec.type === "file" ? "0" : spec.type === "directory" ? "5" : "2";
  let pax = "";
  if (!isAscii(spec.name) || encoder.encode(spec.name).length > 100)
    pax += paxRecord("path", spec.name);
  if (!isAscii(linkname) || encoder.encode(linkname).length > 100)
    pax += paxRecord("linkpath", linkname);
  if (size > MAX_OCTAL_12) pax += paxRecord("size", String(size));
  const header = ustarBlock(
    spec,
    typeflag,
    asciiPrefix(spec.name, 100),
    asciiPrefix(linkname, 100),
    size > MAX_OCTAL_12 ? 0 : size,
  );
  if (pax === "") return header;
  const paxBody = encoder.encode(pax);
  const paxHeader = ustarBlock(
    { ...spec, mode: 0o644 },
    "x",
    asciiPrefix(`PaxHeader/${spec.name.replace(/\/$/, "")}`, 100),
    "",
    paxBody.length,
  );
  const out = new Uint8Array(BLOCK + paxBody.length + paddingFor(paxBody.length) + BLOCK);
  out.set(paxHeader, 0);
  out.set(paxBody, BLOCK);
  out.set(header, out.length - BLOCK);
  return out;
}

/** The ustar fallback for a field a pax record overrides: ASCII, cut to fit. */
function asciiPrefix(value: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[^\x00-\x7f]/g, "_").slice(0, max);
}
