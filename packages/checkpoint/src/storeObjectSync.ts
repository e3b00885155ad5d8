import { createHash } from "node:crypto";
import { closeSync, openSync, readSync, rmSync, statSync, writeSync } from "node:fs";
import type { ObjectMeta } from "@flyte/storage-adapters";
import { CheckpointInputError } from "./errors.js";
import { SyncGzipWriter } from "./gzip/SyncGzipWriter.js";
import type { IoContext } from "./IoContext.js";
import { encodeManifest, manifestKey } from "./manifest.js";
import type { CheckpointFormat } from "./manifest.js";
import { classifyPath } from "./saveInput.js";
import type { Located } from "./storageAccess.js";
import { syncView, toCheckpointError } from "./storageAccess.js";
import { manifestFor, saveError } from "./storeObject.js";
import { packDirectorySync } from "./tar/packDirectory.js";

function hashFileSync(path: string): { sha256: string; size: number } {
  const hash = createHash("sha256");
  let size = 0;
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      size += n;
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest("hex"), size };
}

/**
 * The blocking twin of `storeObject`, through `SyncStorage`. Bytes go up with `putSync`; a file
 * with `putFileSync` straight from where it is; a directory is tar-gzipped into one temp file
 * (the only copy besides the source) that `putFileSync` uploads and that is deleted after.
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
  let digest: { sha256: string; size: number };
  let meta: ObjectMeta;
  const path = typeof data === "string" ? data : undefined;
  try {
    if (options.deleteManifestFirst) sync.deleteSync(manifestKey(key));
    if (typeof data !== "string") {
      format = "bytes";
      digest = { sha256: createHash("sha256").update(data).digest("hex"), size: data.length };
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
        digest = hashFileSync(input.path);
        meta = sync.putFileSync(key, input.path);
        const after = statSync(input.path);
        if (after.size !== digest.size || after.mtimeMs !== input.stats.mtimeMs) {
          // Uploaded, but what went up may not be what was hashed: no manifest vouches for it.
          throw new CheckpointInputError(input.path, "file changed while it was being saved; save it again");
        }
      } else {
        format = "dir";
        const hash = createHash("sha256");
        let size = 0;
        let fd: number | undefined = openSync(options.tempFile, "wx", 0o600);
        try {
          const out = fd;
          const gzip = new SyncGzipWriter(io.compressionLevel, (chunk) => {
            hash.update(chunk);
            size += chunk.length;
            let off = 0;
            while (off < chunk.length) off += writeSync(out, chunk, off, chunk.length - off);
          });
          packDirectorySync(input.path, (chunk) => gzip.write(chunk), (p, why) => io.warn(`skipped ${p}: ${why}`));
          gzip.finish();
          closeSync(out);
          fd = undefined;
          digest = { sha256: hash.digest("hex"), size };
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
  const manifest = manifestFor(format, digest.size, digest.sha256, meta, io);
  try {
    sync.putSync(manifestKey(key), encodeManifest(manifest));
  } catch (error) {
    throw toCheckpointError(error, where.uri, "write the manifest of");
  }
  return meta;
}
