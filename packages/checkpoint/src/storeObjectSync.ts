import { closeSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { createChecksum } from "./checksum/createChecksum.js";
import { SyncGzipWriter } from "./gzip/SyncGzipWriter.js";
import type { IoContext } from "./IoContext.js";
import { commitManifest, knownCapabilities } from "./manifest/commitManifest.js";
import type { CheckpointVersion } from "./manifest.js";
import { digestFileSync } from "./restore/localFile.js";
import { classifyPath } from "./saveInput.js";
import { runStepsSync } from "./steps/StorageStep.js";
import type { Located } from "./storageAccess.js";
import { syncView } from "./storageAccess.js";
import {
  checkArchiveLoadable,
  fileChangedWhileSaving,
  sameFileVersion,
  saveError,
  versionFor,
} from "./store/saveSupport.js";
import type { StoreOptions } from "./storeObject.js";
import { packDirectorySync } from "./tar/packDirectory.js";

/** What a blocking save is given besides the data. */
export interface StoreSyncOptions extends StoreOptions {
  /** Makes the path of the temp archive of a directory (inside the checkpoint's workspace). */
  readonly tempFile: () => string;
}

/**
 * The blocking twin of `storeObject`, through `SyncStorage`, with the same commit rule: the
 * manifest listing the new version first, the object write as the commit point. Bytes go up
 * with `putSync`; a file is summed, then sent with `putFileSync` straight from where it is (on
 * the disk a kernel copy); a directory is tar-gzipped into one temp file (the only copy besides
 * the source), summed on the way, and uploaded with `putFileSync` once the manifest is written.
 *
 * A file that is modified while `putFileSync` copies it is detected only afterwards (by its
 * stat): the save then throws {@link CheckpointInputError}, and the stored object, which may
 * not be what was summed, is refused by `load` as damage rather than trusted.
 */
export function storeObjectSync(
  where: Located,
  data: Uint8Array | string,
  io: IoContext,
  options: StoreSyncOptions,
): void {
  const { key, uri } = where;
  const { signal } = options;
  const path = typeof data === "string" ? data : undefined;
  try {
    signal?.throwIfAborted();
    const sync = syncView(where);
    const commit = (version: CheckpointVersion): void => {
      signal?.throwIfAborted();
      runStepsSync(
        where,
        commitManifest(key, uri, version, () => knownCapabilities(where.storage)),
      );
    };
    if (typeof data !== "string") {
      const sum = createChecksum(io.checksum);
      sum.update(data);
      commit(versionFor("bytes", io.checksum, sum.digest(), data.length, io));
      sync.putSync(key, data);
      return;
    }
    let stats;
    let cause: unknown;
    try {
      stats = statSync(data);
    } catch (error) {
      cause = error;
    }
    const input = classifyPath(data, stats, cause);
    if (input.kind === "file") {
      const { size, digests } = digestFileSync(input.path, [io.checksum]);
      if (size !== input.stats.size || !sameFileVersion(input.stats, statSync(input.path)))
        throw fileChangedWhileSaving(input.path);
      commit(versionFor("file", io.checksum, digests.get(io.checksum)!, size, io));
      sync.putFileSync(key, input.path);
      if (!sameFileVersion(input.stats, statSync(input.path)))
        throw fileChangedWhileSaving(input.path);
      return;
    }
    const tempFile = options.tempFile();
    const sum = createChecksum(io.checksum);
    let size = 0;
    let tarSize = 0;
    let fd: number | undefined = openSync(tempFile, "wx", 0o600);
    try {
      const out = fd;
      const gzip = new SyncGzipWriter(io.compressionLevel, (chunk) => {
        sum.update(chunk);
        size += chunk.length;
        let off = 0;
        while (off < chunk.length) off += writeSync(out, chunk, off, chunk.length - off);
      });
      packDirectorySync(
        input.path,
        (chunk) => {
          tarSize += chunk.length;
          gzip.write(chunk);
        },
        {
          onSkip: (p, why) => io.warn(`skipped ${p}: ${why}`),
          followSymlinks: options.followSymlinks,
        },
      );
      gzip.finish();
      closeSync(out);
      fd = undefined;
      checkArchiveLoadable(input.path, io, tarSize, size);
      commit(versionFor("dir", io.checksum, sum.digest(), size, io, tarSize));
      sync.putFileSync(key, tempFile);
    } finally {
      if (fd !== undefined) closeSync(fd);
      rmSync(tempFile, { force: true });
    }
  } catch (error) {
    throw saveError(error, where, path, signal);
  }
}
