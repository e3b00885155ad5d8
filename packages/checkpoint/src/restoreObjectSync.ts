import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SafeExtractor } from "./SafeExtractor.js";
import { classifyRestoreError } from "./classifyError.js";
import { checksumMismatch } from "./checksum/checksumMismatch.js";
import { createChecksum } from "./checksum/createChecksum.js";
import { CheckpointCorruptError } from "./errors.js";
import { SyncGunzipReader } from "./gzip/SyncGunzipReader.js";
import { PAYLOAD } from "./IoContext.js";
import type { IoContext, Restored } from "./IoContext.js";
import { checkExpansion } from "./limits.js";
import { decodeManifest, manifestChecksum, manifestIsCurrent, manifestKey, storedKind } from "./manifest.js";
import type { CheckpointFormat, CheckpointManifest } from "./manifest.js";
import { SNIFF_BYTES, sniffFormat } from "./sniffFormat.js";
import type { Located } from "./storageAccess.js";
import { isNotFound, syncView, toCheckpointError } from "./storageAccess.js";
import { TarParser } from "./tar/TarParser.js";

/**
 * Read size of the downloaded file. The buffer is reused, and so is the inflater's output
 * buffer; what the tar parser keeps across reads is copied out (`detach`), so a load allocates
 * nothing per chunk and its memory stays flat however large the checkpoint.
 */
const READ_CHUNK = 256 * 1024;

function readManifestSync(where: Located): CheckpointManifest | undefined {
  let bytes: Uint8Array;
  try {
    bytes = syncView(where).getSync(manifestKey(where.key));
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

/** Reads a local file in chunks into one reused buffer, handing each chunk to `each`. */
function readFileSync(path: string, each: (chunk: Uint8Array) => void): void {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return;
      each(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

function headOf(path: string): Uint8Array {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * The blocking twin of `restoreObject`, through the storage's `SyncStorage`: the object is
 * downloaded to a file in the staging folder (`getToFileSync`: a kernel copy on the disk,
 * streamed by other adapters), then summed and either renamed to `payload` or gunzipped and
 * extracted chunk by chunk (memory stays bounded) and deleted. Same results, same errors, same
 * manifest rule.
 */
export function restoreObjectSync(where: Located, staging: string, io: IoContext, retries = 2): Restored | undefined {
  const { key, uri } = where;
  const sync = syncView(where);
  let head;
  try {
    head = sync.headSync(key);
  } catch (error) {
    throw toCheckpointError(error, uri, "look up");
  }
  if (!head) return undefined;
  const stored = readManifestSync(where);
  const manifest = stored && manifestIsCurrent(stored, head) ? stored : undefined;
  if (stored && !manifest) {
    io.warn(`the manifest beside ${uri} describes an earlier save (a save was interrupted between object and manifest); loading the object without it`);
  }
  if (!manifest && head.size === 0) return undefined;

  const tree = join(staging, "tree");
  const download = join(staging, "download.bin");
  rmSync(tree, { recursive: true, force: true });
  rmSync(download, { force: true });
  mkdirSync(tree, { recursive: true });
  try {
    sync.getToFileSync(key, download);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw toCheckpointError(error, uri, "download");
  }
  const sum = createChecksum(manifest ? manifestChecksum(manifest).algorithm : "crc32");
  let size = 0;
  let format: CheckpointFormat;
  try {
    const kind = manifest ? storedKind(manifest) : sniffFormat(headOf(download));
    format = manifest?.format ?? (kind === "raw" ? "file" : "dir");
    if (kind === "raw") {
      if (manifest) {
        readFileSync(download, (chunk) => {
          sum.update(chunk);
          size += chunk.length;
        });
      }
      renameSync(download, join(tree, PAYLOAD));
    } else {
      const extractor = new SafeExtractor(tree, uri, io.limits);
      const parser = new TarParser();
      let expanded = 0;
      const onTar = (chunk: Uint8Array): void => {
        expanded += chunk.length;
        checkExpansion(uri, io.limits, expanded, size);
        parser.push(chunk);
        for (let ev = parser.next(); ev; ev = parser.next()) {
          if (ev.kind === "entry") extractor.entrySync(ev.entry);
          else if (ev.kind === "data") extractor.dataSync(ev.chunk);
          else if (ev.kind === "entryEnd") extractor.endEntrySync();
        }
        // `chunk` is a reused buffer (the read buffer or the inflater's): keep no view of it.
        parser.detach();
      };
      const gunzip = kind === "tar.gz" ? new SyncGunzipReader(onTar) : undefined;
      try {
        readFileSync(download, (chunk) => {
          if (manifest) sum.update(chunk);
          size += chunk.length;
          if (gunzip) gunzip.push(chunk);
          else onTar(chunk);
        });
        gunzip?.push(new Uint8Array(0), true);
        parser.finish();
      } catch (error) {
        extractor.abortSync();
        throw error;
      } finally {
        gunzip?.close();
      }
      extractor.finishSync();
    }
  } catch (error) {
    throw classifyRestoreError(error, uri);
  } finally {
    rmSync(download, { force: true });
  }
  if (manifest) {
    if (sum.digest() !== manifestChecksum(manifest).digest || size !== manifest.size) {
      let now = null;
      try {
        now = sync.headSync(key);
      } catch {
        // judged on what we read
      }
      if (retries > 0 && now && (now.etag !== head.etag || now.size !== head.size)) {
        return restoreObjectSync(where, staging, io, retries - 1);
      }
      throw checksumMismatch(uri, manifest, sum, size);
    }
  }
  return { format, verified: manifest !== undefined, tree };
}
