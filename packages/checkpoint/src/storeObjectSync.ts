import { closeSync, openSync, readSync, rmSync, statSync, writeSync } from "node:fs";
import type { ObjectMeta } from "@flyte/storage-adapters";
import { createChecksum } from "./checksum/createChecksum.js";
import type { ChecksumAlgorithm } from "./checksum/createChecksum.js";
import { SyncGzipWriter } from "./gzip/SyncGzipWriter.js";
import type { IoContext } from "./IoContext.js";
import { encodeManifest, manifestKey } from "./manifest.js";
import type { CheckpointFormat } from "./manifest.js";
import { classifyPath } from "./saveInput.js";
import type { Located } from "./storageAccess.js";
import { syncView, toCheckpointError } from "./storageAccess.js";
import { fileChangedWhileSaving, manifestFor, saveError, sameFileVersion, storedDigest } from "./storeObject.js";
import type { StoredDigest } from "./storeObject.js";
import { packDirectorySync } from "./tar/packDirectory.js";

function checksumFileSync(path: string, algorithm: ChecksumAlgorithm): StoredDigest {
  const sum = createChecksum(algorithm);
  let size = 0;
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      sum.update(buf.subarray(0, n));
      size += n;
    }
  } finally {
    closeSync(fd);
  }
  return storedDigest(sum, size);
}

/**
 * The blocking twin of `storeObject`, through `SyncStorage`. Bytes go up with `putSync`; a file
 * with `putFileSync` straight from where it is (on the disk a kernel copy); a directory is
 * tar-gzipped into one temp file (the only copy besides the source) that `putFileSync` uploads
 * and that is deleted after.
 */
export function storeObjectSync(
  where: Located,
  data: Uint8Array | string,
  io: IoContext,
  options: { deleteManifestFirst: boolean; tempFile: string },
): ObjectMeta {
  const { key } = where;
  const sync = syncView(where);
  let format: CheckpointFormat;
  let stored: StoredDigest;
  let meta: ObjectMeta;
  const path = typeof data === "string" ? data : undefined;
  try {
    if (options.deleteManifestFirst) sync.deleteSync(manifestKey(key));
    if (typeof data !== "string") {
      format = "bytes";
      const sum = createChecksum(io.checksum);
      sum.update(data);
      stored = storedDigest(sum, data.length);
      meta = sync.putSync(key, data);
    } else {
      let stats;
      let cause: unknown;
      try {
        stats = statSync(data);
      } catch (error) {
        cause = error;
      }
      const input = classifyPath(data, stats, cause);
      if (input.kind === "file") {
        format = "file";
        stored = checksumFileSync(input.path, io.checksum);
        meta = sync.putFileSync(key, input.path);
        if (!sameFileVersion(input.stats, statSync(input.path)) || stored.size !== meta.size) {
          // Uploaded, but what went up may not be what was summed: no manifest vouches for it.
          throw fileChangedWhileSaving(input.path);
        }
      } else {
        format = "dir";
        const sum = createChecksum(io.checksum);
        let size = 0;
        let fd: number | undefined = openSync(options.tempFile, "wx", 0o600);
        try {
          const out = fd;
          const gzip = new SyncGzipWriter(io.compressionLevel, (chunk) => {
            sum.update(chunk);
            size += chunk.length;
            let off = 0;
            while (off < chunk.length) off += writeSync(out, chunk, off, chunk.length - off);
          });
          packDirectorySync(input.path, (chunk) => gzip.write(chunk), (p, why) => io.warn(`skipped ${p}: ${why}`));
          gzip.finish();
          closeSync(out);
          fd = undefined;
          stored = storedDigest(sum, size);
          meta = sync.putFileSync(key, options.tempFile);
        } finally {
          if (fd !== undefined) closeSync(fd);
          rmSync(options.tempFile, { force: true });
        }
      }
    }
  } catch (error) {
    throw saveError(error, where, path);
  }
  const manifest = manifestFor(format, stored, meta, io);
  try {
    sync.putSync(manifestKey(key), encodeManifest(manifest));
  } catch (error) {
    throw toCheckpointError(error, where.uri, "write the manifest of");
  }
  return meta;
}
