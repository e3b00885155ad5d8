import type { IoContext, Restored } from "./IoContext.js";
import { restoreByDownloadSync } from "./restore/restoreByDownload.js";
import type { Located } from "./storageAccess.js";

/**
 * The blocking twin of `restoreObject`, through the storage's `SyncStorage`: the object is
 * copied to a local file (`getToFileSync`), judged against its manifest and restored from the
 * copy. Same results, same errors, same manifest rule.
 */
export function restoreObjectSync(
  where: Located,
  staging: string,
  io: IoContext,
): Restored | undefined {
  return restoreByDownloadSync(where, staging, io);
}
