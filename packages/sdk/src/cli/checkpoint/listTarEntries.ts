import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

/** One entry of a directory checkpoint's archive. */
export interface TarEntry {
  readonly path: string;
  readonly size: number;
  readonly type: "file" | "directory" | "symlink" | "hardlink" | "other";
}

const BLOCK = 512;

/**
 * Lists the entries of a gzip tar, streaming: only headers are kept, file bodies are skipped
 * block by block, so a checkpoint of any size is listed in constant memory. Understands ustar
 * names with a prefix, GNU long names (`L`) and pax `path` records (`x`), which is what the
 * Python `tarfile` module and this project's checkpoint writer emit.
 *
 * @throws Error when the stream is not gzip, or the archive is truncated or malformed
 */
export async function listTarEntries(gz: AsyncIterable<Uint8Array>): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const gunzip = Readable.from(gz).pipe(createGunzip());
  let pending: Buffer = Buffer.alloc(0);
  let skip = 0; // body bytes (padded) still to skip
  let capture: { kind: "L" | "x"; left: number; chunks: Buffer[] } | undefined;
  let longName: string | undefined;
  let ended = false;

  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (ended) break;
      if (capture !== undefined) {
        if (pending.length < capture.left) break;
        capture.chunks.push(pending.subarray(0, capture.left));
        pending = pending.subarray(capture.left);
        const data = Buffer.concat(capture.chunks);
        longName = capture.kind === "L" ? cString(data) : (paxPath(data) ?? longName);
        capture = undefined;
        continue;
      }
      if (skip > 0) {
        const n = Math.min(skip, pending.length);
        skip -= n;
        pending = pending.subarray(n);
        if (skip > 0) break;
        continue;
      }
      if (pending.length < BLOCK) break;
      const header = pending.subarray(0, BLOCK);
      pending = pending.subarray(BLOCK);
      if (header.every((b) => b === 0)) {
        ended = true;
        break;
      }
      verifyChecksum(header);
      const size = octal(header.subarray(124, 136));
      const typeflag = String.fromCharCode(header[156]!);
      const padded = Math.ceil(size / BLOCK) * BLOCK;
      if (typeflag === "L" || typeflag === "x") {
        capture = { kind: typeflag, left: padded, chunks: [] };
        continue;
      }
      if (typeflag === "g") {
        skip = padded;
        continue;
      }
      const name = cString(header.subarray(0, 100));
      const prefix =
        header.subarray(257, 262).toString("latin1") === "ustar"
          ? cString(header.subarray(345, 500))
          : "";
      const path = longName ?? (prefix.length > 0 ? `${prefix}/${name}` : name);
      longName = undefined;
      const type = typeOf(typeflag);
      // Directories always end in "/", whichever writer made the archive.
      const shown = type === "directory" && !path.endsWith("/") ? `${path}/` : path;
      entries.push({ path: shown, size: type === "directory" ? 0 : size, type });
      skip = padded;
    }
  }
  if (!ended && (skip > 0 || capture !== undefined || pending.length > 0 || entries.length === 0)) {
    throw new Error("the archive is truncated (no end-of-archive marker)");
  }
  return entries;
}

function typeOf(flag: string): TarEntry["type"] {
  if (flag === "0" || flag === "\0" || flag === "7") return "file";
  if (flag === "5") return "directory";
  if (flag === "2") return "symlink";
  if (flag === "1") return "hardlink";
  return "other";
}

function cString(buf: Buffer): string {
  const end = buf.indexOf(0);
  return buf.subarray(0, end < 0 ? buf.length : end).toString("utf8");
}

function octal(buf: Buffer): number {
  // base-256 (GNU) for sizes ≥ 8 GiB
  if ((buf[0]! & 0x80) !== 0) {
    let n = 0;
    for (let i = 1; i < buf.length; i++) n = n * 256 + buf[i]!;
    return n;
  }
  const text = cString(buf).trim();
  if (text.length === 0) return 0;
  if (!/^[0-7]+$/.test(text))
    throw new Error(`malformed tar header (size ${JSON.stringify(text)})`);
  return parseInt(text, 8);
}

function verifyChecksum(header: Buffer): void {
  const stored = octal(header.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  if (sum !== stored) throw new Error("malformed tar header (checksum mismatch)");
}

function paxPath(data: Buffer): string | undefined {
  // records: "<len> <key>=<value>\n"
  let i = 0;
  let found: string | undefined;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space < 0) break;
    const len = parseInt(data.subarray(i, space).toString("latin1"), 10);
    if (!Number.isSafeInteger(len) || len <= 0) break;
    const record = data.subarray(space + 1, i + len - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (record.slice(0, eq) === "path") found = record.slice(eq + 1);
    i += len;
  }
  return found;
}
