import { createReadStream } from "node:fs";
import type { Stats } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { Readable, pipeline } from "node:stream";
import { createGzip } from "node:zlib";
import { isFileStorage } from "@flyte/storage-adapters";
import type { FileStorage, ObjectMeta, Storage } from "@flyte/storage-adapters";
import { createChecksum } from "./checksum/createChecksum.js";
import type { Checksum, ChecksumAlgorithm } from "./checksum/createChecksum.js";
import { CheckpointInputError } from "./errors.js";
import type { IoContext } from "./IoContext.js";
import { encodeManifest, manifestKey } from "./manifest.js";
import type { CheckpointFormat, CheckpointManifest } from "./manifest.js";
import { classifyPath } from "./saveInput.js";
import type { Located } from "./storageAccess.js";
import { toCheckpointError } from "./storageAccess.js";
import { FileChangedError, packDirectory } from "./tar/packDirectory.js";

/** What was stored: its size and checksum, as the manifest will record them. */
export interface StoredDigest {
  readonly algorithm: ChecksumAlgorithm;
  readonly digest: string;
  readonly size: number;
}

/** The digest of `size` bytes summed into `sum`. */
export function storedDigest(sum: Checksum, size: number): StoredDigest {
  return { algorithm: sum.algorithm, digest: sum.digest(), size };
}

/** Builds the manifest for a stored object. */
export function manifestFor(format: CheckpointFormat, stored: StoredDigest, meta: ObjectMeta, io: IoContext): CheckpointManifest {
  return {
    version: 1,
    format,
    size: stored.size,
    ...(stored.algorithm === "sha256" ? { sha256: stored.digest } : { crc32: stored.digest }),
    ...(meta.etag !== undefined ? { etag: meta.etag } : {}),
    ...(format === "dir" ? { compression: "gzip" as const } : {}),
    ...(io.attempt !== undefined ? { attempt: io.attempt } : {}),
    createdAt: new Date().toISOString(),
    writer: "@flyte/checkpoint",
  };
}

/** Maps a failure while saving. */
export function saveError(error: unknown, where: Located, path?: string): Error {
  if (error instanceof FileChangedError) return new CheckpointInputError(error.path, error.message, { cause: error });
  const code = (error as { code?: unknown } | null)?.code;
  if (path !== undefined && (code === "ENOENT" || code === "EACCES" || code === "ELOOP")) {
    return new CheckpointInputError(path, `cannot read the checkpoint source: ${(error as Error).message}`, { cause: error });
  }
  return toCheckpointError(error, where.uri, "save");
}

/** Whether a file is, by every stat field a write changes, the one `before` described. */
export function sameFileVersion(before: Stats, after: Stats): boolean {
  return (
    after.ino === before.ino &&
    after.size === before.size &&
    after.mtimeMs === before.mtimeMs &&
    after.ctimeMs === before.ctimeMs
  );
}

/** The error of a file that changed while it was saved: what went up may not be what was summed. */
export function fileChangedWhileSaving(path: string): CheckpointInputError {
  return new CheckpointInputError(path, "file changed while it was being saved; save it again");
}

/**
 * A file through the storage's `putFile` (on the disk a kernel copy, `fs.copyFile`), summed
 * through `onData`, which the adapter feeds from the same opened file alongside the copy (the
 * two share the page cache). The adapter refuses, before publishing, a file that changed
 * while it was copied (the error names the file's own `file://` URI).
 */
async function putFileSummed(
  storage: Storage & FileStorage,
  key: string,
  path: string,
  algorithm: ChecksumAlgorithm,
): Promise<{ meta: ObjectMeta; stored: StoredDigest }> {
  const sum = createChecksum(algorithm);
  let size = 0;
  let meta: ObjectMeta;
  try {
    meta = await storage.putFile(key, path, {
      onData: (chunk) => {
        sum.update(chunk);
        size += chunk.length;
      },
    });
  } catch (error) {
    // The adapter names the local file by its own URI when the fault is the file's.
    if ((error as { uri?: unknown } | null)?.uri === `file://${resolve(path)}`) {
      throw new CheckpointInputError(path, `cannot save the checkpoint source: ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
  // An adapter that copied other bytes than it showed: no manifest may vouch for them.
  if (size !== meta.size) throw fileChangedWhileSaving(path);
  return { meta, stored: storedDigest(sum, size) };
}

/**
 * Saves bytes, a file or a directory to `where`, through the storage's atomic write, then
 * writes the manifest. A file goes through the storage's `putFile` where it has one (local
 * storages: a kernel copy, summed alongside), else it is streamed and summed as it goes; a
 * directory is streamed tar → gzip → `putStream`. Resolves to the meta the object got.
 */
export async function storeObject(
  where: Located,
  data: Uint8Array | string,
  io: IoContext,
  options: { deleteManifestFirst: boolean },
): Promise<ObjectMeta> {
  const { storage, key } = where;
  let format: CheckpointFormat;
  const sum = createChecksum(io.checksum);
  let size = 0;
  let meta: ObjectMeta;
  let stored: StoredDigest | undefined;
  const path = typeof data === "string" ? data : undefined;
  try {
    if (options.deleteManifestFirst) await storage.delete(manifestKey(key));
    if (typeof data !== "string") {
      format = "bytes";
      sum.update(data);
      size = data.length;
      meta = await storage.put(key, data);
    } else {
      const input = classifyPath(data, await stat(data).catch(() => undefined));
      async function* summed(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
        for await (const chunk of source) {
          sum.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      }
      if (input.kind === "file") {
        format = "file";
        if (isFileStorage(storage)) {
          ({ meta, stored } = await putFileSummed(storage, key, input.path, io.checksum));
        } else {
          const file = createReadStream(input.path, { highWaterMark: 1 << 20 });
          meta = await storage.putStream(key, summed(file), { size: input.stats.size });
        }
      } else {
        format = "dir";
        const gzip = createGzip({ level: io.compressionLevel, chunkSize: 256 * 1024 });
        const tar = Readable.from(packDirectory(input.path, (p, why) => io.warn(`skipped ${p}: ${why}`)), {
          objectMode: false,
          highWaterMark: 4 << 20,
        });
        pipeline(tar, gzip, () => undefined);
        try {
          meta = await storage.putStream(key, summed(gzip));
        } finally {
          gzip.destroy();
          tar.destroy();
        }
      }
    }
  } catch (error) {
    throw saveError(error, where, path);
  }
  const manifest = manifestFor(format, stored ?? storedDigest(sum, size), meta, io);
  try {
    await storage.put(manifestKey(key), encodeManifest(manifest));
  } catch (error) {
    throw toCheckpointError(error, where.uri, "write the manifest of");
  }
  return meta;
}
