import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { Readable, pipeline } from "node:stream";
import { createGzip } from "node:zlib";
import { isFileStorage } from "@flyte/storage-adapters";
import type { FileStorage, Storage } from "@flyte/storage-adapters";
import { createChecksum } from "./checksum/createChecksum.js";
import { CheckpointInputError } from "./errors.js";
import type { IoContext } from "./IoContext.js";
import { commitManifest, knownCapabilities } from "./manifest/commitManifest.js";
import type { CheckpointVersion } from "./manifest.js";
import { digestFile } from "./restore/localFile.js";
import { classifyPath } from "./saveInput.js";
import type { SaveInput } from "./saveInput.js";
import { runSteps } from "./steps/StorageStep.js";
import type { Located } from "./storageAccess.js";
import {
  checkArchiveLoadable,
  fileChangedWhileSaving,
  sameFileVersion,
  saveError,
  versionFor,
} from "./store/saveSupport.js";
import { packDirectory } from "./tar/packDirectory.js";

/** What a save is given besides the data. */
export interface StoreOptions {
  readonly signal?: AbortSignal | undefined;
  /** Store symlinks a load would refuse as what they point to (see `walkDirectory`). */
  readonly followSymlinks: boolean;
}

type FileInput = Extract<SaveInput, { kind: "file" }>;

/**
 * Saves bytes, a file or a directory to `where`. The manifest listing the new version is
 * written first ({@link commitManifest}); the object write that follows is the commit point:
 * until it lands the previous checkpoint is what loads, once it has landed nothing can fail.
 * So a failed, aborted or killed save leaves the previous checkpoint as it was.
 *
 * - bytes: summed, then `put`;
 * - a file on a storage of local files (the disk, memfs): summed by reading it, then copied by
 *   `putFile` (on the disk a kernel copy), which re-reads it alongside and stops before
 *   publishing if it is not the file that was summed;
 * - a file elsewhere, and any directory (tar → gzip): streamed with `putStream` and summed on
 *   the way; the manifest is written after the last byte is read and before the stream ends,
 *   which is what lets the storage publish the object.
 */
export async function storeObject(
  where: Located,
  data: Uint8Array | string,
  io: IoContext,
  options: StoreOptions,
): Promise<void> {
  const { storage, key, uri } = where;
  const { signal } = options;
  const commit = (version: CheckpointVersion): Promise<unknown> =>
    runSteps(
      where,
      commitManifest(key, uri, version, () => knownCapabilities(storage)),
      signal,
    );
  /** A failure of our own code inside a stream the storage reads (the storage may rewrap it). */
  const own: { error?: unknown } = {};
  const path = typeof data === "string" ? data : undefined;
  try {
    signal?.throwIfAborted();
    if (typeof data !== "string") {
      const sum = createChecksum(io.checksum);
      sum.update(data);
      await commit(versionFor("bytes", io.checksum, sum.digest(), data.length, io));
      await storage.put(key, data, signal ? { signal } : {});
      return;
    }
    const input = classifyPath(data, await stat(data).catch(() => undefined));
    if (input.kind === "file") {
      if (isFileStorage(storage))
        await putFileSummed({ ...where, storage }, input, io, commit, signal);
      else
        await storage.putStream(key, streamFile(input, io, commit, own, signal), {
          size: input.stats.size,
          ...(signal ? { signal } : {}),
        });
    } else {
      await storage.putStream(
        key,
        streamDirectory(input.path, io, commit, own, options),
        signal ? { signal } : {},
      );
    }
  } catch (error) {
    throw saveError("error" in own ? own.error : error, where, path, signal);
  }
}

/**
 * A file to a storage of local files: summed first (the manifest needs the checksum before the
 * object is published), the manifest written, then the file copied by the storage's `putFile`
 * (on the disk a kernel copy), which reads it again alongside: a copy that is not what was
 * summed (the file changed in between) is stopped before anything is published. (Summing while
 * copying was tried: on a disk that fsyncs, the manifest's small synced writes in the middle of
 * the copy made every save slower.)
 */
async function putFileSummed(
  where: Located & { storage: Storage & FileStorage },
  input: FileInput,
  io: IoContext,
  commit: (version: CheckpointVersion) => Promise<unknown>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { size, digests } = await digestFile(input.path, [io.checksum], signal);
  const digest = digests.get(io.checksum)!;
  if (size !== input.stats.size || !sameFileVersion(input.stats, await stat(input.path)))
    throw fileChangedWhileSaving(input.path);
  await commit(versionFor("file", io.checksum, digest, size, io));
  const again = createChecksum(io.checksum);
  let seen = 0;
  try {
    await where.storage.putFile(where.key, input.path, {
      ...(signal ? { signal } : {}),
      onData: (chunk) => {
        again.update(chunk);
        seen += chunk.length;
        if (seen > size || (seen === size && again.digest() !== digest))
          throw fileChangedWhileSaving(input.path);
      },
    });
  } catch (error) {
    // The adapter names the local file by its own URI when the fault is the file's.
    if ((error as { uri?: unknown } | null)?.uri === `file://${resolve(input.path)}`) {
      throw new CheckpointInputError(
        input.path,
        `cannot save the checkpoint source: ${(error as Error).message}`,
        { cause: error },
      );
    }
    throw error;
  }
  if (seen !== size) throw fileChangedWhileSaving(input.path);
}

/** A file read, summed and streamed; the manifest is committed after its last byte. */
async function* streamFile(
  input: FileInput,
  io: IoContext,
  commit: (version: CheckpointVersion) => Promise<unknown>,
  own: { error?: unknown },
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  try {
    const sum = createChecksum(io.checksum);
    let size = 0;
    for await (const chunk of createReadStream(input.path, { highWaterMark: 1 << 20 })) {
      signal?.throwIfAborted();
      sum.update(chunk as Buffer);
      size += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
    if (size !== input.stats.size || !sameFileVersion(input.stats, await stat(input.path)))
      throw fileChangedWhileSaving(input.path);
    await commit(versionFor("file", io.checksum, sum.digest(), size, io));
  } catch (error) {
    own.error = error;
    throw error;
  }
}

/** A directory as tar → gzip, summed; the manifest is committed after the last gzip byte. */
async function* streamDirectory(
  dir: string,
  io: IoContext,
  commit: (version: CheckpointVersion) => Promise<unknown>,
  own: { error?: unknown },
  options: StoreOptions,
): AsyncGenerator<Uint8Array> {
  const { signal } = options;
  const gzip = createGzip({ level: io.compressionLevel, chunkSize: 256 * 1024 });
  let tarSize = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    const walk = {
      onSkip: (p: string, why: string) => io.warn(`skipped ${p}: ${why}`),
      followSymlinks: options.followSymlinks,
    };
    for await (const chunk of packDirectory(dir, walk, signal)) {
      tarSize += chunk.length;
      yield chunk;
    }
  }
  const tar = Readable.from(counted(), { objectMode: false, highWaterMark: 4 << 20 });
  pipeline(tar, gzip, () => undefined);
  try {
    const sum = createChecksum(io.checksum);
    let size = 0;
    for await (const chunk of gzip) {
      signal?.throwIfAborted();
      sum.update(chunk as Buffer);
      size += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
    checkArchiveLoadable(dir, io, tarSize, size);
    await commit(versionFor("dir", io.checksum, sum.digest(), size, io, tarSize));
  } catch (error) {
    own.error = error;
    throw error;
  } finally {
    gzip.destroy();
    tar.destroy();
  }
}
