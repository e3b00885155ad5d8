import type { Storage } from "@flyte/storage-adapters";
import { resolveStorage } from "@flyte/storage-adapters";
import type { TarEntry } from "./listTarEntries.js";
import { listTarEntries } from "./listTarEntries.js";

/** What `flyte checkpoint inspect` found at a URI. */
export interface CheckpointInspection {
  readonly uri: string;
  /** Whether an object is stored at the URI. */
  readonly exists: boolean;
  /**
   * `dir` (a gzip tar of a directory), `bytes`/`file` (raw, as the manifest says), `raw` (raw
   * content with no manifest to say whether it was bytes or a file), or `unknown` when absent.
   */
  readonly format: "dir" | "bytes" | "file" | "raw" | "unknown";
  /** Stored size in bytes. */
  readonly size?: number;
  readonly etag?: string;
  readonly lastModified?: string;
  /**
   * The integrity sidecar `<uri>.manifest.json`: `current` when it vouches for the stored
   * object, `stale` when it belongs to an earlier save, `absent` (e.g. written by Python),
   * `invalid` when it cannot be parsed.
   */
  readonly manifestStatus: "current" | "stale" | "absent" | "invalid";
  readonly manifest?: Readonly<Record<string, unknown>>;
  /** For a directory checkpoint: the archive's entries. */
  readonly files?: readonly TarEntry[];
  /** For a raw checkpoint of up to 64 bytes of text: the text (an index, say). */
  readonly preview?: string;
  /** When nothing is at the URI: objects found below it (a folder of checkpoints, say). */
  readonly below?: readonly string[];
  /** A problem met while reading (a truncated archive, say), reported rather than thrown. */
  readonly problem?: string;
}

const GZIP = [0x1f, 0x8b];

/**
 * Reads what a checkpoint URI holds without restoring it: format, size, manifest (from the
 * `@flyte/checkpoint` sidecar `<key>.manifest.json`) and, for a directory checkpoint, the file
 * list — streamed, so a large checkpoint is listed in constant memory. Storage errors other than
 * "not found" (permissions, a bucket that does not exist) are thrown.
 */
export async function inspectCheckpoint(uri: string): Promise<CheckpointInspection> {
  const { storage, key } = resolveStorage(uri);
  const meta = await storage.head(key);
  if (meta === null) {
    const below: string[] = [];
    const prefix = key.endsWith("/") || key === "" ? key : `${key}/`;
    for await (const entry of storage.list(prefix)) {
      if ("key" in entry) below.push(entry.key.slice(prefix.length));
      if (below.length >= 50) break;
    }
    return { uri, exists: false, format: "unknown", manifestStatus: "absent", below };
  }

  let manifestStatus: CheckpointInspection["manifestStatus"] = "absent";
  let manifest: Record<string, unknown> | undefined;
  const manifestMeta = await storage.head(`${key}.manifest.json`);
  if (manifestMeta !== null) {
    try {
      const parsed: unknown = JSON.parse(
        new TextDecoder().decode(await storage.get(`${key}.manifest.json`)),
      );
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        throw new TypeError("not an object");
      manifest = parsed as Record<string, unknown>;
      const etag = typeof manifest["etag"] === "string" ? manifest["etag"] : undefined;
      const current =
        etag !== undefined && meta.etag !== undefined
          ? etag === meta.etag
          : manifest["size"] === meta.size;
      manifestStatus = current ? "current" : "stale";
    } catch {
      manifestStatus = "invalid";
    }
  }

  const head = meta.size === 0 ? new Uint8Array() : await firstBytes(storage, key, 64);
  const gzipped = head.length >= 2 && head[0] === GZIP[0] && head[1] === GZIP[1];
  const declared = manifestStatus === "current" ? manifest?.["format"] : undefined;
  const format: CheckpointInspection["format"] =
    declared === "dir" || declared === "bytes" || declared === "file"
      ? declared
      : gzipped
        ? "dir"
        : "raw";

  const base = {
    uri,
    exists: true,
    size: meta.size,
    ...(meta.etag === undefined ? {} : { etag: meta.etag }),
    ...(meta.lastModified === undefined ? {} : { lastModified: meta.lastModified.toISOString() }),
    manifestStatus,
    ...(manifest === undefined ? {} : { manifest }),
  };
  if (format === "dir") {
    try {
      const files = await listTarEntries(await storage.getStream(key));
      return { ...base, format, files };
    } catch (err) {
      return { ...base, format, problem: `cannot list the archive: ${(err as Error).message}` };
    }
  }
  const preview = meta.size <= 64 ? printable(head) : undefined;
  return { ...base, format, ...(preview === undefined ? {} : { preview }) };
}

/** The first `n` bytes of an object, reading no further (a range read where the backend has one). */
async function firstBytes(storage: Storage, key: string, n: number): Promise<Uint8Array> {
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

function printable(bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return /^[\x20-\x7e\t\r\n]*$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}
