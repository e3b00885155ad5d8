import { verifyCheckpoint } from "@flyte/checkpoint";
import type { CheckpointEntry } from "@flyte/checkpoint";
import { resolveStorage } from "@flyte/storage-adapters";

/** What `flyte checkpoint inspect` found at a URI (its `--json` output). */
export interface CheckpointInspection {
  readonly uri: string;
  /** Whether an object is stored at the URI. */
  readonly exists: boolean;
  /**
   * `dir` (a gzip tar of a directory), `bytes`/`file` (raw, as the manifest says), `raw` (raw
   * content with no manifest to say whether it was bytes or a file), or `unknown` when absent.
   * When `load()` refuses the object, what it appears to be.
   */
  readonly format: "dir" | "bytes" | "file" | "raw" | "unknown";
  /** Whether `load()` restores it (every check `load()` makes passed). */
  readonly loadable: boolean;
  /** A manifest vouched for the object and its size and checksum matched. */
  readonly verified: boolean;
  /** Stored size in bytes. */
  readonly size?: number;
  readonly etag?: string;
  readonly lastModified?: string;
  /**
   * The integrity sidecar `<uri>.manifest.json`: `current` when it vouches for the stored
   * object, `mismatch` when it vouches only for other versions (the object is damaged), `stale`
   * when it describes an earlier object, `absent` (e.g. written by Python), `invalid` when it
   * cannot be parsed.
   */
  readonly manifestStatus: "current" | "mismatch" | "stale" | "absent" | "invalid";
  readonly manifest?: Readonly<Record<string, unknown>>;
  /** For a directory checkpoint: the archive's entries (up to a refused one). */
  readonly files?: readonly CheckpointEntry[];
  /** For a raw checkpoint of up to 64 bytes of text: the text (an index, say). */
  readonly preview?: string;
  /** When nothing is at the URI: objects found below it (a folder of checkpoints, say). */
  readonly below?: readonly string[];
  /** Why `load()` refuses it: the message of the error it throws. */
  readonly problem?: string;
  /** That error's class (`CheckpointChecksumError`, `CheckpointUnsafeEntryError`, ...). */
  readonly problemType?: string;
}

/**
 * Reads what a checkpoint URI holds without restoring it, with the very checks `load()` makes
 * (`verifyCheckpoint` of @flyte/checkpoint: the manifest rule, checksums, gzip and tar
 * structure, entry rules and limits), in one streaming pass: format, size, manifest, whether
 * `load()` restores it and, for a directory checkpoint, the file list. Storage errors other than
 * "not found" (permissions, a bucket that does not exist) are thrown.
 */
export async function inspectCheckpoint(uri: string): Promise<CheckpointInspection> {
  const { storage, key } = resolveStorage(uri);
  const found = await verifyCheckpoint(uri, { storage: () => ({ storage, key }) });
  if (!found.exists) {
    const below: string[] = [];
    const prefix = key.endsWith("/") || key === "" ? key : `${key}/`;
    for await (const entry of storage.list(prefix)) {
      if ("key" in entry) below.push(entry.key.slice(prefix.length));
      if (below.length >= 50) break;
    }
    return {
      uri,
      exists: false,
      format: "unknown",
      loadable: false,
      verified: false,
      manifestStatus: "absent",
      below,
    };
  }
  const raw = found.format !== "dir" && found.manifestStatus !== "current";
  const format =
    found.format === undefined ? "unknown" : raw && found.format === "file" ? "raw" : found.format;
  const size = found.size ?? 0;
  const preview =
    format !== "dir" && size > 0 && size <= 64 ? printable(await storage.get(key)) : undefined;
  return {
    uri,
    exists: true,
    format,
    loadable: found.loadable,
    verified: found.verified,
    size,
    ...(found.etag === undefined ? {} : { etag: found.etag }),
    ...(found.lastModified === undefined ? {} : { lastModified: found.lastModified.toISOString() }),
    manifestStatus: found.manifestStatus,
    ...(found.manifest === undefined
      ? {}
      : { manifest: found.manifest as unknown as Record<string, unknown> }),
    ...(found.entries === undefined ? {} : { files: found.entries }),
    ...(preview === undefined ? {} : { preview }),
    ...(found.problem === undefined
      ? {}
      : { problem: found.problem.message, problemType: found.problem.name }),
  };
}

function printable(bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return /^[\x20-\x7e\t\r\n]*$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}
