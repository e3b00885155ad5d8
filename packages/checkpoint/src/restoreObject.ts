import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Readable, pipeline } from "node:stream";
import { pipeline as pipelineAsync } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { isFileStorage } from "@flyte/storage-adapters";
import type { FileStorage, ObjectMeta, Storage } from "@flyte/storage-adapters";
import { SafeExtractor } from "./SafeExtractor.js";
import { PeekableStream } from "./PeekableStream.js";
import { classifyRestoreError } from "./classifyError.js";
import { checksumMismatch } from "./checksum/checksumMismatch.js";
import { createChecksum } from "./checksum/createChecksum.js";
import type { Checksum } from "./checksum/createChecksum.js";
import { CheckpointCorruptError } from "./errors.js";
import { PAYLOAD } from "./IoContext.js";
import type { IoContext, Restored } from "./IoContext.js";
import { checkExpansion } from "./limits.js";
import { decodeManifest, manifestChecksum, manifestIsCurrent, manifestKey, storedKind } from "./manifest.js";
import type { CheckpointFormat, CheckpointManifest } from "./manifest.js";
import { SNIFF_BYTES, sniffFormat } from "./sniffFormat.js";
import type { SniffedFormat } from "./sniffFormat.js";
import type { Located } from "./storageAccess.js";
import { isNotFound, isTransient, toCheckpointError } from "./storageAccess.js";
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

/** How to read an object without a current manifest, from its first bytes (a ranged read). */
async function sniffObject(storage: Storage, key: string): Promise<SniffedFormat | undefined> {
  try {
    return sniffFormat(await storage.get(key, { range: [0, SNIFF_BYTES] }));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Restores a raw (bytes or file) object to `tree/payload` through the storage's `getToFile`
 * (on the disk a kernel copy), summed through `onData`, which the adapter feeds from the
 * version it copies, alongside the copy. Resolves to what was copied (the caller checks it is
 * the version the manifest vouches for), or `undefined` when it vanished since `head`.
 */
async function copyRawSummed(
  storage: Storage & FileStorage,
  key: string,
  payload: string,
  manifest: CheckpointManifest | undefined,
): Promise<{ copied: ObjectMeta; sum: Checksum | undefined; size: number } | undefined> {
  const sum = manifest ? createChecksum(manifestChecksum(manifest).algorithm) : undefined;
  let size = 0;
  try {
    const onData = (chunk: Uint8Array): void => {
      sum!.update(chunk);
      size += chunk.length;
    };
    const copied = await storage.getToFile(key, payload, sum ? { onData } : {});
    return { copied, sum, size: sum ? size : copied.size };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Whether the object at `key` is no longer the version `head` described (a save replaced it). */
async function replacedSince(storage: Storage, key: string, head: ObjectMeta): Promise<boolean> {
  const now = await storage.head(key).catch(() => null);
  return now !== null && (now.etag !== head.etag || now.size !== head.size);
}

/**
 * The raw-object fast path of {@link restoreObject}: `getToFile` (on the disk a kernel copy)
 * into `tree/payload`, summed alongside. `"retry"` when the copy met a transient fault or the
 * object was replaced under it, so the caller looks again from the head.
 */
async function restoreRawByCopy(
  where: Located & { storage: Storage & FileStorage },
  head: ObjectMeta,
  manifest: CheckpointManifest | undefined,
  tree: string,
  canRetry: boolean,
): Promise<Restored | undefined | "retry"> {
  const { storage, key, uri } = where;
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  let got;
  try {
    got = await copyRawSummed(storage, key, join(tree, PAYLOAD), manifest);
  } catch (error) {
    if (canRetry && isTransient(error)) return "retry";
    throw toCheckpointError(error, uri, "download");
  }
  if (!got) return undefined;
  if (!manifest) return { format: "file", verified: false, tree };
  const sameVersion =
    got.copied.etag !== undefined && head.etag !== undefined ? got.copied.etag === head.etag : got.copied.size === head.size;
  if (sameVersion && got.size === manifest.size && got.copied.size === manifest.size && got.sum!.digest() === manifestChecksum(manifest).digest) {
    return { format: manifest.format, verified: true, tree };
  }
  if (canRetry && (await replacedSince(storage, key, head))) return "retry";
  throw checksumMismatch(uri, manifest, got.sum!, got.size);
}

/**
 * Restores the object at `where` into `staging/tree` by streaming it (never whole in memory,
 * never a temp copy): a directory archive is gunzipped and extracted on the fly; bytes and files
 * are written to `payload`. Returns `undefined` when the object does not exist (or is empty and
 * no manifest says otherwise, as in Python). Verifies size and checksum against a current
 * manifest. A raw object on a storage with `getToFile` (local ones) is copied by the kernel
 * instead, and summed by reading it alongside.
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

  const tree = join(staging, "tree");
  // Without a manifest the kind is sniffed from the first bytes, which needs a ranged read.
  if (isFileStorage(storage) && (manifest || storage.capabilities.rangeRead)) {
    let kind: SniffedFormat | undefined;
    try {
      kind = manifest ? storedKind(manifest) : await sniffObject(storage, key);
    } catch (error) {
      throw toCheckpointError(error, uri, "download");
    }
    if (kind === undefined) return undefined;
    if (kind === "raw") {
      const restored = await restoreRawByCopy({ ...where, storage }, head, manifest, tree, retries > 0);
      return restored === "retry" ? restoreObject(where, staging, io, retries - 1) : restored;
    }
  }

  let source: AsyncIterable<Uint8Array>;
  try {
    source = await storage.getStream(key);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw toCheckpointError(error, uri, "download");
  }
  const sum = createChecksum(manifest ? manifestChecksum(manifest).algorithm : "crc32");
  let size = 0;
  async function* hashed(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      if (manifest) sum.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  }
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  const stream = new PeekableStream(hashed());
  let format: CheckpointFormat;
  try {
    const kind = manifest ? storedKind(manifest) : sniffFormat(await stream.peek(SNIFF_BYTES));
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
    if (sum.digest() !== manifestChecksum(manifest).digest || size !== manifest.size) {
      // The object may have been replaced while we read it (a concurrent save): look again.
      if (retries > 0 && (await replacedSince(storage, key, head))) return restoreObject(where, staging, io, retries - 1);
      throw checksumMismatch(uri, manifest, sum, size);
    }
  }
  return { format, verified: manifest !== undefined, tree };
}
