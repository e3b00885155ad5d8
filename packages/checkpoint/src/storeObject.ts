import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable, pipeline } from "node:stream";
import { createGzip } from "node:zlib";
import type { ObjectMeta } from "@flyte/storage-adapters";
import { CheckpointInputError } from "./errors.js";
import type { IoContext } from "./IoContext.js";
import { encodeManifest, manifestKey } from "./manifest.js";
import type { CheckpointFormat, CheckpointManifest } from "./manifest.js";
import { classifyPath } from "./saveInput.js";
import type { Located } from "./storageAccess.js";
import { toCheckpointError } from "./storageAccess.js";
import { FileChangedError, packDirectory } from "./tar/packDirectory.js";

/** Builds the manifest for a stored object. */
export function manifestFor(
  format: CheckpointFormat,
  size: number,
  sha256: string,
  meta: ObjectMeta,
  io: IoContext,
): CheckpointManifest {
  return {
    version: 1,
    format,
    size,
    sha256,
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

/**
 * Saves bytes, a file or a directory to `where`, streaming (tar → gzip → `putStream` for a
 * directory, the file's bytes for a file), hashing as it goes, through the storage's atomic
 * write; then writes the manifest. Resolves to the etag the object got, if any.
 */
export async function storeObject(
  where: Located,
  data: Uint8Array | string,
  io: IoContext,
  options: { deleteManifestFirst: boolean },
): Promise<ObjectMeta> {
  const { storage, key } = where;
  let format: CheckpointFormat;
  const hash = createHash("sha256");
  let size = 0;
  let meta: ObjectMeta;
  const path = typeof data === "string" ? data : undefined;
  try {
    if (options.deleteManifestFirst) await storage.delete(manifestKey(key));
    if (typeof data !== "string") {
      format = "bytes";
      hash.update(data);
      size = data.length;
      meta = await storage.put(key, data);
    } else {
      const input = classifyPath(data, await stat(data).catch(() => undefined));
      async function* hashed(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
        for await (const chunk of source) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      }
      if (input.kind === "file") {
        format = "file";
        const file = createReadStream(input.path, { highWaterMark: 1 << 20 });
        meta = await storage.putStream(key, hashed(file), { size: input.stats.size });
      } else {
        format = "dir";
        const gzip = createGzip({ level: io.compressionLevel, chunkSize: 256 * 1024 });
        const tar = Readable.from(packDirectory(input.path, (p, why) => io.warn(`skipped ${p}: ${why}`)), {
          objectMode: false,
          highWaterMark: 4 << 20,
        });
        pipeline(tar, gzip, () => undefined);
        try {
          meta = await storage.putStream(key, hashed(gzip));
        } finally {
          gzip.destroy();
          tar.destroy();
        }
      }
    }
  } catch (error) {
    throw saveError(error, where, path);
  }
  const manifest = manifestFor(format, size, hash.digest("hex"), meta, io);
  try {
    await storage.put(manifestKey(key), encodeManifest(manifest));
  } catch (error) {
    throw toCheckpointError(error, where.uri, "write the manifest of");
  }
  return meta;
}
