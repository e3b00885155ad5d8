import { createHash } from "node:crypto";
import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Readable, pipeline } from "node:stream";
import { pipeline as pipelineAsync } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { SafeExtractor } from "./SafeExtractor.js";
import { PeekableStream } from "./PeekableStream.js";
import { classifyRestoreError } from "./classifyError.js";
import { CheckpointChecksumError, CheckpointCorruptError } from "./errors.js";
import { PAYLOAD } from "./IoContext.js";
import type { IoContext, Restored } from "./IoContext.js";
import { checkExpansion } from "./limits.js";
import { decodeManifest, manifestIsCurrent, manifestKey } from "./manifest.js";
import type { CheckpointFormat, CheckpointManifest } from "./manifest.js";
import { SNIFF_BYTES, sniffFormat } from "./sniffFormat.js";
import type { Located } from "./storageAccess.js";
import { isNotFound, toCheckpointError } from "./storageAccess.js";
import { TarParser } from "./tar/TarParser.js";

/** Reads the manifest beside `where`, or `undefined` when there is none. */
export async function readManifest(where: Located): Promise<CheckpointManifest | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await where.storage.get(manifestKey(where.key));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw toCheckpointError(error, where.uri, "read the manifest of");
  }
  try {
    return decodeManifest(bytes);
  } catch (error) {
    throw new CheckpointCorruptError(where.uri, `checkpoint manifest is unreadable: ${(error as Error).message}`, { cause: error });
  }
}

/** Feeds a tar byte stream through the parser into the extractor. */
async function extractTar(
  bytes: AsyncIterable<Uint8Array>,
  extractor: SafeExtractor,
  onBytes: (n: number) => void,
): Promise<void> {
  const parser = new TarParser();
  try {
    for await (const chunk of bytes) {
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
 * Restores the object at `where` into `staging/tree` by streaming it (never whole in memory,
 * never a temp copy): a directory archive is gunzipped and extracted on the fly; bytes and files
 * are written to `payload`. Returns `undefined` when the object does not exist (or is empty and
 * no manifest says otherwise, as in Python). Verifies size and sha256 against a current manifest.
 */
export async function restoreObject(where: Located, staging: string, io: IoContext, retries = 2): Promise<Restored | undefined> {
  const { storage, key, uri } = where;
  let head;
  try {
    head = await storage.head(key);
  } catch (error) {
    throw toCheckpointError(error, uri, "look up");
  }
  if (!head) return undefined;
  const stored = await readManifest(where);
  const manifest = stored && manifestIsCurrent(stored, head) ? stored : undefined;
  if (stored && !manifest) {
    io.warn(`the manifest beside ${uri} describes an earlier save (a save was interrupted between object and manifest); loading the object without it`);
  }
  if (!manifest && head.size === 0) return undefined;

  let source: AsyncIterable<Uint8Array>;
  try {
    source = await storage.getStream(key);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw toCheckpointError(error, uri, "download");
  }
  const hash = createHash("sha256");
  let size = 0;
  async function* hashed(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  }
  const tree = join(staging, "tree");
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  const stream = new PeekableStream(hashed());
  let format: CheckpointFormat;
  try {
    const kind = manifest ? (manifest.format === "dir" ? "tar.gz" : "raw") : sniffFormat(await stream.peek(SNIFF_BYTES));
    format = manifest?.format ?? (kind === "raw" ? "file" : "dir");
    if (kind === "raw") {
      // A stream pipeline lets the download, the hashing and the disk writes overlap.
      await pipelineAsync(
        Readable.from(stream, { objectMode: false, highWaterMark: 8 << 20 }),
        createWriteStream(join(tree, PAYLOAD), { flags: "wx", mode: 0o644, highWaterMark: 8 << 20 }),
      );
    } else {
      const extractor = new SafeExtractor(tree, uri, io.limits);
      let expanded = 0;
      const count = (n: number): void => {
        expanded += n;
        checkExpansion(uri, io.limits, expanded, size);
      };
      if (kind === "tar") {
        await extractTar(stream, extractor, count);
      } else {
        const gunzip = createGunzip({ chunkSize: 256 * 1024 });
        pipeline(Readable.from(stream, { objectMode: false, highWaterMark: 1 << 20 }), gunzip, () => undefined);
        try {
          await extractTar(gunzip, extractor, count);
        } finally {
          gunzip.destroy();
        }
      }
    }
  } catch (error) {
    throw classifyRestoreError(error, uri);
  }
  if (manifest) {
    const sha256 = hash.digest("hex");
    if (sha256 !== manifest.sha256 || size !== manifest.size) {
      // The object may have been replaced while we read it (a concurrent save): look again.
      const now = await storage.head(key).catch(() => null);
      if (retries > 0 && now && (now.etag !== head.etag || now.size !== head.size)) {
        return restoreObject(where, staging, io, retries - 1);
      }
      throw new CheckpointChecksumError(uri, { size: manifest.size, sha256: manifest.sha256 }, { size, sha256 });
    }
  }
  return { format, verified: manifest !== undefined, tree };
}
