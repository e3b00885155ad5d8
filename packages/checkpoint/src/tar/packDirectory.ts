import { closeSync, lstatSync, openSync, readSync, readdirSync, readlinkSync } from "node:fs";
import type { Stats } from "node:fs";
import { lstat, open, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import { BLOCK, RECORD, encodeHeader, paddingFor } from "./tarHeader.js";
import type { TarEntrySpec } from "./tarHeader.js";

/** Files are read in chunks of this size: big enough for throughput, small for memory. */
const READ_CHUNK = 1 << 20;

/** Called for entries a checkpoint cannot hold (sockets, FIFOs, devices): they are skipped. */
export type SkipHandler = (path: string, reason: string) => void;

/** Thrown when a file changes size while it is being archived. */
export class FileChangedError extends Error {
  override readonly name = "FileChangedError";
  constructor(readonly path: string) {
    super(`file shrank while it was being saved: ${path}`);
  }
}

/**
 * Python sorts with `sorted()`, which compares code points; UTF-8 byte order is the same order
 * (JavaScript's default sort compares UTF-16 units, which differs for astral characters).
 */
function byCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function specFor(name: string, st: Stats, linkname?: string): TarEntrySpec | undefined {
  const base = { mode: st.mode & 0o7777, mtime: Math.floor(st.mtimeMs / 1000), uid: st.uid, gid: st.gid };
  if (st.isDirectory()) return { ...base, name: `${name}/`, type: "directory", size: 0 };
  if (st.isFile()) return { ...base, name, type: "file", size: st.size };
  if (st.isSymbolicLink()) return { ...base, name, type: "symlink", size: 0, linkname: linkname ?? "" };
  return undefined;
}

/** The end of an archive: two zero blocks, padded to a whole record (as Python writes it). */
function trailer(written: number): Uint8Array {
  const end = written + 2 * BLOCK;
  const rest = end % RECORD;
  return new Uint8Array(2 * BLOCK + (rest === 0 ? 0 : RECORD - rest));
}

/**
 * Streams a tar of `dir`'s top-level entries exactly as the Python SDK lays it out: children
 * sorted, each stored under its own name (`arcname = child.name`), directories recursed in
 * sorted order, symlinks stored as links (not followed). Memory stays at one read chunk.
 */
export async function* packDirectory(dir: string, onSkip?: SkipHandler): AsyncGenerator<Uint8Array> {
  let written = 0;
  async function* entry(path: string, name: string): AsyncGenerator<Uint8Array> {
    const st = await lstat(path);
    const spec = specFor(name, st, st.isSymbolicLink() ? await readlink(path) : undefined);
    if (!spec) {
      onSkip?.(path, "not a file, directory or symlink");
      return;
    }
    const header = encodeHeader(spec);
    written += header.length;
    yield header;
    if (spec.type === "file") {
      const handle = await open(path, "r");
      try {
        let left = spec.size;
        while (left > 0) {
          const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, left));
          const { bytesRead } = await handle.read(buf, 0, buf.length, null);
          if (bytesRead === 0) throw new FileChangedError(path);
          left -= bytesRead;
          written += bytesRead;
          yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
        }
      } finally {
        await handle.close();
      }
      const pad = paddingFor(spec.size);
      if (pad) {
        written += pad;
        yield new Uint8Array(pad);
      }
    } else if (spec.type === "directory") {
      for (const child of (await readdir(path)).sort(byCodePoint)) {
        yield* entry(join(path, child), `${name}/${child}`);
      }
    }
  }
  for (const child of (await readdir(dir)).sort(byCodePoint)) yield* entry(join(dir, child), child);
  yield trailer(written);
}

/**
 * The blocking twin of {@link packDirectory}: the same bytes, handed to `sink` chunk by chunk.
 * `sink` must consume (or copy) each chunk before returning: the read buffer is reused.
 */
export function packDirectorySync(dir: string, sink: (chunk: Uint8Array) => void, onSkip?: SkipHandler): void {
  let written = 0;
  const buf = Buffer.allocUnsafe(READ_CHUNK);
  const emit = (chunk: Uint8Array): void => {
    written += chunk.length;
    sink(chunk);
  };
  const entry = (path: string, name: string): void => {
    const st = lstatSync(path);
    const spec = specFor(name, st, st.isSymbolicLink() ? readlinkSync(path) : undefined);
    if (!spec) {
      onSkip?.(path, "not a file, directory or symlink");
      return;
    }
    emit(encodeHeader(spec));
    if (spec.type === "file") {
      const fd = openSync(path, "r");
      try {
        let left = spec.size;
        while (left > 0) {
          const n = readSync(fd, buf, 0, Math.min(buf.length, left), null);
          if (n === 0) throw new FileChangedError(path);
          left -= n;
          emit(buf.subarray(0, n));
        }
      } finally {
        closeSync(fd);
      }
      const pad = paddingFor(spec.size);
      if (pad) emit(new Uint8Array(pad));
    } else if (spec.type === "directory") {
      for (const child of readdirSync(path).sort(byCodePoint)) entry(join(path, child), `${name}/${child}`);
    }
  };
  for (const child of readdirSync(dir).sort(byCodePoint)) entry(join(dir, child), child);
  sink(trailer(written));
}
