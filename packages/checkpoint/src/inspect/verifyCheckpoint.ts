import { tmpdir } from "node:os";
import { mkdirSync } from "node:fs";
import { CheckpointCorruptError, CheckpointError, CheckpointTooLargeError } from "../errors.js";
import type { IoContext } from "../IoContext.js";
import { defaultExtractionLimits } from "../limits.js";
import type { ExtractionLimits } from "../limits.js";
import { decodeManifest, manifestIsCurrent, manifestKey } from "../manifest.js";
import type { CheckpointFormat, CheckpointManifest } from "../manifest.js";
import { restoreByStream } from "../restore/restoreByStream.js";
import { SNIFF_BYTES, sniffFormat } from "../sniffFormat.js";
import { isNotFound, locate, toCheckpointError } from "../storageAccess.js";
import type { CheckpointStorageOption } from "../storageAccess.js";
import type { TarEntry } from "../tar/TarParser.js";
import { Workspace } from "../workspace/Workspace.js";

/** One entry of a directory checkpoint's archive. */
export interface CheckpointEntry {
  /** The name in the archive; directories end with `/`. */
  readonly path: string;
  readonly type: "file" | "directory" | "symlink" | "hardlink";
  /** Bytes of a file (0 for the rest). */
  readonly size: number;
  /** Where a link points. */
  readonly linkname?: string;
}

/** What {@link verifyCheckpoint} found. */
export interface CheckpointVerification {
  readonly uri: string;
  /** Whether an object is stored at the URI. */
  readonly exists: boolean;
  /** Stored size in bytes. */
  readonly size?: number;
  readonly etag?: string;
  readonly lastModified?: Date;
  /**
   * The sidecar `<uri>.manifest.json`: `current` when it vouches for the stored object,
   * `mismatch` when it vouches only for others (the object is damaged), `stale` when it is an
   * older release's naming another object (or the object predates it), `absent` (written by
   * Python), `invalid` when it cannot be read.
   */
  readonly manifestStatus: "current" | "mismatch" | "stale" | "absent" | "invalid";
  readonly manifest?: CheckpointManifest;
  /**
   * What `load()` restores: `dir`, `bytes` or `file` (a raw object without a manifest is a
   * `file`). When `load()` would refuse it, what it appears to be (its manifest's newest
   * version, or its first bytes by Python's rule).
   */
  readonly format?: CheckpointFormat;
  /** Whether `load()` restores it. */
  readonly loadable: boolean;
  /** A manifest vouched for the object and its size and checksum matched. */
  readonly verified: boolean;
  /** A directory checkpoint's entries (up to where a refused one stopped the check). */
  readonly entries?: readonly CheckpointEntry[];
  /** Why `load()` would refuse it: the typed error it would throw. */
  readonly problem?: { readonly name: string; readonly message: string };
}

/** Options of {@link verifyCheckpoint}. */
export interface VerifyOptions {
  /** As `Checkpoint`'s `storage` option. @default `resolveStorage` */
  readonly storage?: CheckpointStorageOption;
  /** The limits a load would apply. @default defaultExtractionLimits */
  readonly limits?: Partial<ExtractionLimits>;
  /** Where the structure-only check creates its scratch folder. @default os.tmpdir() */
  readonly tmpDir?: string;
  readonly signal?: AbortSignal;
}

function entryOf(entry: TarEntry): CheckpointEntry {
  const path =
    entry.type === "directory" && !entry.name.endsWith("/") ? `${entry.name}/` : entry.name;
  return {
    path,
    type: entry.type === "unsupported" ? "file" : entry.type,
    size: entry.type === "file" ? entry.size : 0,
    ...(entry.type === "symlink" || entry.type === "hardlink" ? { linkname: entry.linkname } : {}),
  };
}

/**
 * Reads the checkpoint at `uri` the way `load()` does, without restoring it: the same
 * manifest rule, checksums, gzip and tar checks, entry rules and limits, in one streaming
 * pass (linear in the object, bounded by the limits for a bomb), with file contents dropped
 * instead of written (a scratch folder holds the empty structure, so links are resolved as a
 * restore would). Damage and refusals are reported in `problem`, never thrown; a storage that
 * cannot be read (permissions, outage, configuration) throws its typed error.
 */
export async function verifyCheckpoint(
  uri: string,
  options: VerifyOptions = {},
): Promise<CheckpointVerification> {
  const where = locate(uri, options.storage);
  const { storage, key } = where;
  let head;
  let manifestBytes: Uint8Array | null = null;
  let first: Uint8Array;
  try {
    head = await storage.head(key);
    if (head === null)
      return { uri, exists: false, manifestStatus: "absent", loadable: false, verified: false };
    manifestBytes = await storage.get(manifestKey(key)).catch((error: unknown) => {
      if (isNotFound(error)) return null;
      throw error;
    });
    first = head.size === 0 ? new Uint8Array() : await firstBytes(storage, key, SNIFF_BYTES);
  } catch (error) {
    throw toCheckpointError(error, uri, "inspect");
  }
  let manifest: CheckpointManifest | undefined;
  try {
    manifest = manifestBytes === null ? undefined : decodeManifest(manifestBytes);
  } catch {
    manifest = undefined;
  }
  const base = {
    uri,
    exists: true,
    size: head.size,
    ...(head.etag !== undefined ? { etag: head.etag } : {}),
    ...(head.lastModified !== undefined ? { lastModified: head.lastModified } : {}),
    ...(manifest !== undefined ? { manifest } : {}),
  };
  const io: IoContext = {
    compressionLevel: 6,
    checksum: "crc32",
    limits: { ...defaultExtractionLimits, ...options.limits },
    attempt: undefined,
    warn: () => undefined,
  };
  const workspace = new Workspace(options.tmpDir ?? tmpdir());
  let entries: CheckpointEntry[] = [];
  let archive = false;
  try {
    const staging = workspace.tempPath("inspect");
    mkdirSync(staging);
    const restored = await restoreByStream(where, staging, io, options.signal, {
      pass: (kind) => {
        entries = [];
        archive = kind !== "raw";
        return { discardData: true, onEntry: (e) => entries.push(entryOf(e)) };
      },
    });
    if (restored === undefined) {
      return {
        ...base,
        manifestStatus: statusOf(manifestBytes, manifest, head, false),
        loadable: false,
        verified: false,
      };
    }
    return {
      ...base,
      manifestStatus: statusOf(manifestBytes, manifest, head, restored.verified),
      format: restored.format,
      loadable: true,
      verified: restored.verified,
      ...(restored.format === "dir" ? { entries } : {}),
    };
  } catch (error) {
    if (!(error instanceof CheckpointCorruptError || error instanceof CheckpointTooLargeError)) {
      throw error instanceof CheckpointError ? error : toCheckpointError(error, uri, "inspect");
    }
    const sniffed = sniffFormat(first);
    const format: CheckpointFormat = manifest?.format ?? (sniffed === "raw" ? "file" : "dir");
    return {
      ...base,
      manifestStatus:
        error.name === "CheckpointChecksumError"
          ? "mismatch"
          : statusOf(manifestBytes, manifest, head, false),
      format,
      loadable: false,
      verified: false,
      ...(archive ? { entries } : {}),
      problem: { name: error.name, message: error.message },
    };
  } finally {
    workspace.dispose();
  }
}

function statusOf(
  bytes: Uint8Array | null,
  manifest: CheckpointManifest | undefined,
  head: { etag?: string; size: number },
  verified: boolean,
): CheckpointVerification["manifestStatus"] {
  if (bytes === null) return "absent";
  if (manifest === undefined) return "invalid";
  if (verified) return "current";
  if (manifest.version === 1) return manifestIsCurrent(manifest, head) ? "mismatch" : "stale";
  return "stale";
}

/** The first `n` bytes of an object, reading no further (a range read where the backend has one). */
async function firstBytes(
  storage: Parameters<typeof restoreByStream>[0]["storage"],
  key: string,
  n: number,
): Promise<Uint8Array> {
  if (storage.capabilities.rangeRead) return storage.get(key, { range: [0, n] });
  const out: Uint8Array[] = [];
  let got = 0;
  for await (const chunk of await storage.getStream(key)) {
    out.push(chunk);
    got += chunk.length;
    if (got >= n) break; // leaving the loop closes the stream
  }
  return Buffer.concat(out).subarray(0, n);
}
