import { mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { FileStorage, Storage } from "@flyte/storage-adapters";
import { createChecksum } from "../checksum/createChecksum.js";
import { classifyRestoreError } from "../classifyError.js";
import { PAYLOAD } from "../IoContext.js";
import type { IoContext, Restored } from "../IoContext.js";
import { manifestKey } from "../manifest.js";
import type { Located } from "../storageAccess.js";
import { isNotFound, syncView } from "../storageAccess.js";
import { drive, driveSync } from "../steps/StorageStep.js";
import { downloadProtocol } from "./downloadProtocol.js";
import type { Downloaded, LoadStep, RestorePlan } from "./downloadProtocol.js";
import { extractArchiveFile, extractArchiveFileSync } from "./extractArchive.js";
import type { ExtractTarget } from "./extractArchive.js";
import { digestFile, digestFileSync, sniffFileSync } from "./localFile.js";

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function freshTree(tree: string): void {
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
}

function restoreRaw(path: string, tree: string, plan: RestorePlan): Restored {
  freshTree(tree);
  renameSync(path, join(tree, PAYLOAD));
  return { format: plan.format, verified: plan.verified, tree };
}

type RestoreStep = Extract<LoadStep, { op: "restore" }>;

/** Where and how an archive step is extracted (into a fresh tree). */
function archiveTarget(step: RestoreStep, uri: string, io: IoContext): ExtractTarget {
  freshTree(step.tree);
  return { tree: step.tree, uri, limits: io.limits, expandedSize: step.plan.expandedSize };
}

/** What an extracted archive step restored; the downloaded archive is dropped. */
function archiveRestored(step: RestoreStep): Restored {
  rmSync(step.path, { force: true });
  return { format: step.plan.format, verified: step.plan.verified, tree: step.tree };
}

/**
 * Restores the object at `where` by copying it into `staging` first (`getToFile`: on the disk
 * a kernel copy, CRC-32 summed alongside from the same opened file) and judging the copy (see
 * {@link downloadProtocol}); a directory is then extracted from the local copy. For storages
 * whose objects are local files (the disk, memfs).
 */
export async function restoreByDownload(
  where: Located & { storage: Storage & FileStorage },
  staging: string,
  io: IoContext,
  signal?: AbortSignal,
): Promise<Restored | undefined> {
  const { storage, key, uri } = where;
  const perform = async (step: LoadStep): Promise<unknown> => {
    signal?.throwIfAborted();
    switch (step.op) {
      case "download": {
        const crc = createChecksum("crc32");
        let size = 0;
        try {
          const meta = await storage.getToFile(key, step.path, {
            ...(signal ? { signal } : {}),
            onData: (chunk) => {
              crc.update(chunk);
              size += chunk.length;
            },
          });
          return { meta, size, digests: new Map([["crc32", crc.digest()]]) } satisfies Downloaded;
        } catch (error) {
          if (isNotFound(error)) return null;
          throw error;
        }
      }
      case "manifest":
        return storage.get(manifestKey(key), signal ? { signal } : {}).catch((error: unknown) => {
          if (isNotFound(error)) return null;
          throw error;
        });
      case "head":
        return storage.head(key);
      case "digest":
        return digestFile(step.path, step.algorithms, signal);
      case "sniff":
        return sniffFileSync(step.path);
      case "sleep":
        return new Promise((resolve) => setTimeout(resolve, step.ms));
      case "restore":
        if (step.plan.kind === "raw") return restoreRaw(step.path, step.tree, step.plan);
        await extractArchiveFile(step.path, step.plan.kind, archiveTarget(step, uri, io), signal);
        return archiveRestored(step);
    }
  };
  try {
    return await drive(downloadProtocol({ uri, staging, warn: io.warn }), perform);
  } catch (error) {
    throw classifyRestoreError(error, uri, signal);
  }
}

/**
 * The blocking twin of {@link restoreByDownload}, for every storage with a `SyncStorage`: the
 * object is copied with `getToFileSync` (a kernel copy on the disk, streamed through the worker
 * bridge for S3 and Azure), summed, judged, and a directory extracted from the copy, its gzip
 * inflated by a worker thread while this thread writes the files.
 */
export function restoreByDownloadSync(
  where: Located,
  staging: string,
  io: IoContext,
): Restored | undefined {
  const { key, uri } = where;
  const sync = syncView(where);
  const perform = (step: LoadStep): unknown => {
    switch (step.op) {
      case "download":
        try {
          const meta = sync.getToFileSync(key, step.path);
          return { meta, size: statSync(step.path).size, digests: new Map() } satisfies Downloaded;
        } catch (error) {
          if (isNotFound(error)) return null;
          throw error;
        }
      case "manifest":
        try {
          return sync.getSync(manifestKey(key));
        } catch (error) {
          if (isNotFound(error)) return null;
          throw error;
        }
      case "head":
        return sync.headSync(key);
      case "digest":
        return digestFileSync(step.path, step.algorithms);
      case "sniff":
        return sniffFileSync(step.path);
      case "sleep":
        Atomics.wait(sleeper, 0, 0, step.ms);
        return undefined;
      case "restore":
        if (step.plan.kind === "raw") return restoreRaw(step.path, step.tree, step.plan);
        extractArchiveFileSync(step.path, step.plan.kind, archiveTarget(step, uri, io));
        return archiveRestored(step);
    }
  };
  try {
    return driveSync(downloadProtocol({ uri, staging, warn: io.warn }), perform);
  } catch (error) {
    throw classifyRestoreError(error, uri);
  }
}
