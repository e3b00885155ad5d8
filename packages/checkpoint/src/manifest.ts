/**
 * The integrity sidecar. It lives beside the checkpoint object as `<object key>.manifest.json`
 * and is written *after* the object, so the Python SDK (which never reads it) is unaffected, and
 * a checkpoint without one (written by Python) still loads.
 *
 * The rule that keeps a crash between the two writes from looking like corruption: a manifest
 * vouches for one exact object version, named by the `etag` the storage returned when the object
 * was written (or, for a storage without etags, by its size). If the stored object's etag (or
 * size) differs, the manifest belongs to an earlier save and is *stale*: it is ignored and the
 * object is loaded like a Python-written one (gzip CRC and tar structure still checked). Only
 * when the manifest names the object that is there and its checksum or size differs is the
 * checkpoint corrupt.
 *
 * The checksum is CRC-32 by default, sha256 on request (`Checkpoint`'s `checksum` option);
 * older writers recorded sha256 only, and such manifests are verified by their sha256. CRC-32 is
 * enough for what the manifest is for: catching an object that was damaged or cut short (bit
 * rot, a truncated upload, a copy that stopped), which it detects certainly for any burst of up
 * to 32 bits and otherwise misses with odds of 1 in 2^32, at several GB/s where sha256 costs as
 * long as copying the bytes. A cryptographic digest would add nothing against tampering: the
 * manifest lies beside the object, writable by whoever can rewrite the object.
 */

import type { ChecksumAlgorithm } from "./checksum/createChecksum.js";

/** How the object stores its content. */
export type CheckpointFormat = "bytes" | "file" | "dir";

/** The sidecar's content. */
export interface CheckpointManifest {
  /** Schema version; readers accept any version that carries the fields below. */
  readonly version: 1;
  readonly format: CheckpointFormat;
  /** Stored object size in bytes (the gzip size for `dir`). */
  readonly size: number;
  /**
   * Lowercase hex CRC-32 (8 digits) of the stored object; what this writer records by default.
   * When `sha256` is present too, `sha256` is the one verified.
   */
  readonly crc32?: string;
  /**
   * Lowercase hex sha256 (64 digits) of the stored object: recorded with `checksum: "sha256"`,
   * and by writers before CRC-32 was the default. A manifest carries at least one of the two.
   */
  readonly sha256?: string;
  /** The storage's etag of the object this manifest vouches for, when it has one. */
  readonly etag?: string;
  /** `"gzip"` for `dir`; raw formats are stored as they are. */
  readonly compression?: "gzip";
  /** The attempt that saved it, when known. */
  readonly attempt?: number;
  /** ISO-8601 time of the save. */
  readonly createdAt: string;
  /** Who wrote it. */
  readonly writer: string;
}

/** The sidecar key of an object key. */
export function manifestKey(objectKey: string): string {
  return `${objectKey}.manifest.json`;
}

/** Serializes a manifest as UTF-8 JSON. */
export function encodeManifest(manifest: CheckpointManifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(manifest)}\n`);
}

/** Parses a manifest; throws a `TypeError` naming the first field that is wrong. */
export function decodeManifest(bytes: Uint8Array): CheckpointManifest {
  const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TypeError("manifest is not an object");
  const m = value as Record<string, unknown>;
  if (m.format !== "bytes" && m.format !== "file" && m.format !== "dir") throw new TypeError(`manifest format ${JSON.stringify(m.format)}`);
  if (typeof m.size !== "number" || !Number.isSafeInteger(m.size) || m.size < 0) throw new TypeError("manifest size");
  if (m.sha256 !== undefined && (typeof m.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(m.sha256))) throw new TypeError("manifest sha256");
  if (m.crc32 !== undefined && (typeof m.crc32 !== "string" || !/^[0-9a-f]{8}$/.test(m.crc32))) throw new TypeError("manifest crc32");
  if (m.sha256 === undefined && m.crc32 === undefined) throw new TypeError("manifest has no checksum (crc32 or sha256)");
  if (m.etag !== undefined && typeof m.etag !== "string") throw new TypeError("manifest etag");
  return m as unknown as CheckpointManifest;
}

/** How an object a manifest vouches for is stored: a gzip tar for a directory, raw otherwise. */
export function storedKind(manifest: CheckpointManifest): "tar.gz" | "raw" {
  return manifest.format === "dir" ? "tar.gz" : "raw";
}

/** The checksum a load verifies: the strongest the manifest carries (sha256 over crc32). */
export function manifestChecksum(manifest: CheckpointManifest): { readonly algorithm: ChecksumAlgorithm; readonly digest: string } {
  if (manifest.sha256 !== undefined) return { algorithm: "sha256", digest: manifest.sha256 };
  if (manifest.crc32 !== undefined) return { algorithm: "crc32", digest: manifest.crc32 };
  // decodeManifest refuses such a manifest; a hand-built one is a programming error.
  throw new TypeError("manifest has no checksum (crc32 or sha256)");
}

/**
 * Whether a manifest vouches for the stored object described by `etag`/`size` (see the rule
 * above): by etag when both sides have one, by size otherwise.
 */
export function manifestIsCurrent(manifest: CheckpointManifest, object: { etag?: string; size: number }): boolean {
  if (manifest.etag !== undefined && object.etag !== undefined) return manifest.etag === object.etag;
  return manifest.size === object.size;
}
