import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { Readable, pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { SafeExtractor } from "../SafeExtractor.js";
import type { ExtractorOptions } from "../SafeExtractor.js";
import { CheckpointCorruptError } from "../errors.js";
import { gunzipFileSync } from "../gzip/gunzipFileSync.js";
import { checkExpansion } from "../limits.js";
import type { ExtractionLimits } from "../limits.js";
import { TarParser } from "../tar/TarParser.js";

/** How an archive is restored: where, under which limits, and what its manifest promised. */
export interface ExtractTarget extends ExtractorOptions {
  readonly tree: string;
  readonly uri: string;
  readonly limits: ExtractionLimits;
  /** The tar size a manifest recorded: expanding past it is damage (or a lie), refused. */
  readonly expandedSize?: number | undefined;
}

/** Counts expanded bytes against the limits and the manifest's `expandedSize`. */
function expansionGuard(target: ExtractTarget, compressed: () => number): (n: number) => void {
  let expanded = 0;
  return (n) => {
    expanded += n;
    checkExpansion(target.uri, target.limits, expanded, compressed());
    if (target.expandedSize !== undefined && expanded > target.expandedSize) {
      throw new CheckpointCorruptError(
        target.uri,
        `checkpoint archive expands past the ${target.expandedSize} bytes its manifest recorded`,
      );
    }
  };
}

/** Feeds a tar byte stream through the parser into the extractor (async). */
export async function extractTar(
  bytes: AsyncIterable<Uint8Array>,
  extractor: SafeExtractor,
  onBytes: (n: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const parser = new TarParser();
  try {
    for await (const chunk of bytes) {
      signal?.throwIfAborted();
      onBytes(chunk.length);
      parser.push(chunk);
      for (let ev = parser.next(); ev; ev = parser.next()) {
        if (ev.kind === "entry") await extractor.entry(ev.entry);
        else if (ev.kind === "data") await extractor.data(ev.chunk);
        else if (ev.kind === "entryEnd") await extractor.endEntry();
      }
    }
    parser.finish();
  } catch (error) {
    await extractor.abort();
    throw error;
  }
  extractor.finishSync();
}

/**
 * Restores an archive arriving as a stream (a download in progress): gunzipped on the fly when
 * `kind` is `"tar.gz"`. `compressed()` tells how many stored bytes were read so far (for the
 * ratio guard).
 */
export async function extractArchiveStream(
  source: AsyncIterable<Uint8Array>,
  kind: "tar.gz" | "tar",
  target: ExtractTarget,
  compressed: () => number,
  signal?: AbortSignal,
): Promise<void> {
  const extractor = new SafeExtractor(target.tree, target.uri, target.limits, target);
  const guard = expansionGuard(target, compressed);
  if (kind === "tar") {
    await extractTar(source, extractor, guard, signal);
    return;
  }
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  pipeline(
    Readable.from(source, { objectMode: false, highWaterMark: 1 << 20 }),
    gunzip,
    () => undefined,
  );
  try {
    await extractTar(gunzip, extractor, guard, signal);
  } finally {
    gunzip.destroy();
  }
}

/** Restores the archive in the local file `file` (async). */
export async function extractArchiveFile(
  file: string,
  kind: "tar.gz" | "tar",
  target: ExtractTarget,
  signal?: AbortSignal,
): Promise<void> {
  const size = statSync(file).size;
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    await extractArchiveStream(input, kind, target, () => size, signal);
  } finally {
    input.destroy();
  }
}

/**
 * Restores the archive in the local file `file` while the caller blocks: a gzip is inflated
 * by {@link gunzipFileSync} (a worker thread running Node's own inflater); the tar is parsed
 * and written here, chunk by chunk, so memory stays bounded however large the archive.
 */
export function extractArchiveFileSync(
  file: string,
  kind: "tar.gz" | "tar",
  target: ExtractTarget,
): void {
  const size = statSync(file).size;
  const extractor = new SafeExtractor(target.tree, target.uri, target.limits, target);
  const parser = new TarParser();
  const guard = expansionGuard(target, () => size);
  const onTar = (chunk: Uint8Array): void => {
    guard(chunk.length);
    parser.push(chunk);
    for (let ev = parser.next(); ev; ev = parser.next()) {
      if (ev.kind === "entry") extractor.entrySync(ev.entry);
      else if (ev.kind === "data") extractor.dataSync(ev.chunk);
      else if (ev.kind === "entryEnd") extractor.endEntrySync();
    }
    // `chunk` is a reused buffer (a shared slot, or the read buffer): keep no view of it.
    parser.detach();
  };
  try {
    if (kind === "tar.gz") gunzipFileSync(file, onTar);
    else readChunksSync(file, onTar);
    parser.finish();
  } catch (error) {
    extractor.abortSync();
    throw error;
  }
  extractor.finishSync();
}

/** Reads a local file in chunks into one reused buffer. */
export function readChunksSync(
  path: string,
  each: (chunk: Uint8Array) => void,
  chunkSize = 1 << 20,
): void {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.allocUnsafe(chunkSize);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return;
      each(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}
