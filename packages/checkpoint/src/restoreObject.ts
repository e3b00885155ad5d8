import { isFileStorage } from "@flyte/storage-adapters";
import type { IoContext, Restored } from "./IoContext.js";
import { restoreByDownload } from "./restore/restoreByDownload.js";
import { restoreByStream } from "./restore/restoreByStream.js";
import type { Located } from "./storageAccess.js";

/**
 * Restores the object at `where` into `staging/tree`, judged against its manifest: from a
 * local copy where the storage's objects are local files (the disk, memfs: a kernel copy, then
 * the judgement, then the extraction), streamed otherwise (S3, Azure: no temp copy). Resolves
 * to `undefined` only when there is no object (or, without a manifest, an empty one, as in
 * Python); everything else that is not a vouched-for (or manifest-less) checkpoint throws a
 * typed error.
 */
export function restoreObject(
  where: Located,
  staging: string,
  io: IoContext,
  signal?: AbortSignal,
): Promise<Restored | undefined> {
  const { storage } = where;
  return isFileStorage(storage)
    ? restoreByDownload({ ...where, storage }, staging, io, signal)
    : restoreByStream(where, staging, io, signal);
}
