import { closeSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
import { BLOCK, RECORD, paddingFor } from "./tarHeader.js";
import { walkDirectory } from "./walkDirectory.js";
import type { WalkOptions } from "./walkDirectory.js";

export type { SkipHandler, WalkOptions } from "./walkDirectory.js";

/** Files are read in chunks of this size: big enough for throughput, small for memory. */
const READ_CHUNK = 1 << 20;

/** Thrown when a file changes size while it is being archived. */
export class FileChangedError extends Error {
  override readonly name = "FileChangedError";
  constructor(readonly path: string) {
    super(`file shrank while it was being saved: ${path}`);
  }
}

/** The end of an archive: two zero blocks, padded to a whole record (as Python writes it). */
function trailer(written: number): Uint8Array {
  const end = written + 2 * BLOCK;
  const rest = end % RECORD;
  return new Uint8Array(2 * BLOCK + (rest === 0 ? 0 : RECORD - rest));
}

/**
 * Streams a tar of `dir`'s top-level entries exactly as the Python SDK lays it out (see
 * {@link walkDirectory}, which also refuses what a restore would). Memory stays at one read
 * chunk. An aborted `signal` stops it between chunks.
 */
export async function* packDirectory(
  dir: string,
  options: WalkOptions = {},
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  let written = 0;
  for (const item of walkDirectory(dir, options)) {
    signal?.throwIfAborted();
    written += item.header.length;
    yield item.header;
    if (item.file === undefined) continue;
    const handle = await open(item.file.path, "r");
    try {
      let left = item.file.size;
      while (left > 0) {
        signal?.throwIfAborted();
        const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, left));
        const { bytesRead } = await handle.read(buf, 0, buf.length, null);
        if (bytesRead === 0) throw new FileChangedError(item.file.path);
        left -= bytesRead;
        written += bytesRead;
        yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
      }
    } finally {
      await handle.close();
    }
    const pad = paddingFor(item.file.size);
    if (pad) {
      written += pad;
      yield new Uint8Array(pad);
    }
  }
  yield trailer(written);
}

/**
 * The blocking twin of {@link packDirectory}: the same bytes, handed to `sink` chunk by chunk.
 * `sink` must consume (or copy) each chunk before returning: the read buffer is reused.
 */
export function packDirectorySync(
  dir: string,
  sink: (chunk: Uint8Array) => void,
  options: WalkOptions = {},
): void {
  let written = 0;
  const buf = Buffer.allocUnsafe(READ_CHUNK);
  const emit = (chunk: Uint8Array): void => {
    written += chunk.length;
    sink(chunk);
  };
  for (const item of walkDirectory(dir, options)) {
    emit(item.header);
    if (item.file === undefined) continue;
    const fd = openSync(item.file.path, "r");
    try {
      let left = item.file.size;
      while (left > 0) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, left), null);
        if (n === 0) throw new FileChangedError(item.file.path);
        left -= n;
        emit(buf.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
    const pad = paddingFor(item.file.size);
    if (pad) emit(new Uint8Array(pad));
  }
  sink(trailer(written));
}
