/**
 * The integrity sidecar. It lives beside the checkpoint object as `<object key>.manifest.json`;
 * the Python SDK never reads it, and a checkpoint without one (written by Python) still loads.
 *
 * **The object write is the commit point.** A save writes the manifest *before* the object,
 * listing the version it is about to write (format, size, checksum) together with the versions
 * the manifest already vouched for, newest first. So at every instant, whatever object a reader
 * finds — the previous one (the save has not landed, or it failed, or its process died), the new
 * one, or either of two savers racing — is vouched for by the manifest it reads after it. An
 * object that matches none of the versions is damage (a flipped byte, a truncation, an append),
 * never an interrupted save: a load says so with a typed error instead of loading it.
 *
 * The checksum is CRC-32 by default, sha256 on request (`Checkpoint`'s `checksum` option);
 * older writers recorded sha256 only, and such versions are verified by their sha256. CRC-32 is
 * enough for what the manifest is for: catching an object that was damaged or cut short, which it
 * detects certainly for any burst of up to 32 bits and otherwise misses with odds of 1 in 2^32,
 * at several GB/s where sha256 costs as long as copying the bytes. A cryptographic digest would
 * add nothing against tampering: the manifest lies beside the object, writable by whoever can
 * rewrite the object.
 *
 * Version 1 manifests (written *after* the object by earlier releases, naming the object by its
 * etag) are still read by their own rule: one whose etag names another object is stale and is
 * ignored with a warning.
 */

import type { ChecksumAlgorithm } from "./checksum/createChecksum.js";

/** How the object stores its content. */
export type CheckpointFormat = "bytes" | "file" | "dir";

/** One object version a manifest vouches for. */
export interface CheckpointVersion {
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
   * and by writers before CRC-32 was the default. A version carries at least one of the two.
   */
  readonly sha256?: string;
  /** `"gzip"` for `dir`; raw formats are stored as they are. */
  readonly compression?: "gzip";
  /** For `dir`: the size of the tar inside the gzip (what a restore expands to, plus headers). */
  readonly expandedSize?: number;
  /** The attempt that saved it, when known. */
  readonly attempt?: number;
  /** ISO-8601 time of the save. */
  readonly createdAt?: string;
  /** Who wrote it. */
  readonly writer?: string;
}

/**
 * An object that was at the key when a save began, with no manifest vouching for it (written
 * by the Python SDK, say): named by its etag and size, and loaded by Python's rule (unverified)
 * while it is still there.
 */
export interface UnsummedVersion {
  readonly unsummed: true;
  readonly size: number;
  readonly etag?: string;
}

/** The sidecar's content. Its own fields describe the newest version (the one last saved). */
export interface CheckpointManifest extends CheckpointVersion {
  /** 2 for manifests written before their object; 1 for the older after-the-object ones. */
  readonly version: 1 | 2;
  /** Version 1 only: the storage's etag of the one object the manifest vouches for. */
  readonly etag?: string;
  readonly createdAt: string;
  readonly writer: string;
  /** Version 2: the earlier versions a reader still accepts, newest first. */
  readonly previous?: readonly (CheckpointVersion | UnsummedVersion)[];
}

/** What this package writes as `writer`. */
export const WRITER = "@flyte/checkpoint";

/** Most earlier versions a manifest keeps (beyond those the object's size could match). */
const MAX_PREVIOUS = 7;
/** Most earlier versions kept because they are as large as the stored object (it may be any of them). */
const MAX_SAME_SIZE = 15;
/** A manifest listing more than this is refused as damaged. */
const MAX_DECODED = 64;

/** The sidecar key of an object key. */
export function manifestKey(objectKey: string): string {
  return `${objectKey}.manifest.json`;
}

/** Serializes a manifest as UTF-8 JSON. */
export function encodeManifest(manifest: CheckpointManifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(manifest)}\n`);
}

function checkVersionFields(m: Record<string, unknown>, where: string): void {
  if (m.format !== "bytes" && m.format !== "file" && m.format !== "dir")
    throw new TypeError(`${where} format ${JSON.stringify(m.format)}`);
  if (typeof m.size !== "number" || !Number.isSafeInteger(m.size) || m.size < 0)
    throw new TypeError(`${where} size`);
  if (m.sha256 !== undefined && (typeof m.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(m.sha256)))
    throw new TypeError(`${where} sha256`);
  if (m.crc32 !== undefined && (typeof m.crc32 !== "string" || !/^[0-9a-f]{8}$/.test(m.crc32)))
    throw new TypeError(`${where} crc32`);
  if (m.sha256 === undefined && m.crc32 === undefined)
    throw new TypeError(`${where} has no checksum (crc32 or sha256)`);
  if (
    m.expandedSize !== undefined &&
    (typeof m.expandedSize !== "number" ||
      !Number.isSafeInteger(m.expandedSize) ||
      m.expandedSize < 0)
  ) {
    throw new TypeError(`${where} expandedSize`);
  }
}

function checkPrevious(value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length > MAX_DECODED) throw new TypeError("manifest previous");
  for (const [i, item] of value.entries()) {
    if (typeof item !== "object" || item === null || Array.isArray(item))
      throw new TypeError(`manifest previous[${i}]`);
    const p = item as Record<string, unknown>;
    if (p.unsummed === true) {
      if (typeof p.size !== "number" || !Number.isSafeInteger(p.size) || p.size < 0)
        throw new TypeError(`manifest previous[${i}] size`);
      if (p.etag !== undefined && typeof p.etag !== "string")
        throw new TypeError(`manifest previous[${i}] etag`);
    } else {
      checkVersionFields(p, `manifest previous[${i}]`);
    }
  }
}

/** Parses a manifest; throws a `TypeError` naming the first field that is wrong. */
export function decodeManifest(bytes: Uint8Array): CheckpointManifest {
  const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new TypeError("manifest is not an object");
  const m = value as Record<string, unknown>;
  checkVersionFields(m, "manifest");
  if (m.etag !== undefined && typeof m.etag !== "string") throw new TypeError("manifest etag");
  if (m.version === 2) checkPrevious(m.previous);
  else if (m.previous !== undefined)
    throw new TypeError("manifest previous (only version 2 has it)");
  // Writers before version 2 wrote `version: 1`; anything else without the field is read as 1.
  return { ...(m as unknown as CheckpointManifest), version: m.version === 2 ? 2 : 1 };
}

/** How an object of a version is stored: a gzip tar for a directory, raw otherwise. */
export function storedKind(version: Pick<CheckpointVersion, "format">): "tar.gz" | "raw" {
  return version.format === "dir" ? "tar.gz" : "raw";
}

/** The checksum a load verifies: the strongest the version carries (sha256 over crc32). */
export function manifestChecksum(version: CheckpointVersion): {
  readonly algorithm: ChecksumAlgorithm;
  readonly digest: string;
} {
  if (version.sha256 !== undefined) return { algorithm: "sha256", digest: version.sha256 };
  if (version.crc32 !== undefined) return { algorithm: "crc32", digest: version.crc32 };
  // decodeManifest refuses such a version; a hand-built one is a programming error.
  throw new TypeError("manifest has no checksum (crc32 or sha256)");
}

/** Just the version fields of a manifest (its newest version), without the manifest's own. */
export function versionOf(m: CheckpointVersion): CheckpointVersion {
  return {
    format: m.format,
    size: m.size,
    ...(m.crc32 !== undefined ? { crc32: m.crc32 } : {}),
    ...(m.sha256 !== undefined ? { sha256: m.sha256 } : {}),
    ...(m.compression !== undefined ? { compression: m.compression } : {}),
    ...(m.expandedSize !== undefined ? { expandedSize: m.expandedSize } : {}),
    ...(m.attempt !== undefined ? { attempt: m.attempt } : {}),
    ...(m.createdAt !== undefined ? { createdAt: m.createdAt } : {}),
    ...(m.writer !== undefined ? { writer: m.writer } : {}),
  };
}

/**
 * Version 1 rule: whether a manifest vouches for the stored object described by `etag`/`size`:
 * by etag when both sides have one, by size otherwise.
 */
export function manifestIsCurrent(
  manifest: CheckpointManifest,
  object: { etag?: string | undefined; size: number },
): boolean {
  if (manifest.etag !== undefined && object.etag !== undefined)
    return manifest.etag === object.etag;
  return manifest.size === object.size;
}

function isUnsummed(v: CheckpointVersion | UnsummedVersion): v is UnsummedVersion {
  return (v as UnsummedVersion).unsummed === true;
}

/** What a version-2 manifest accepts: summed versions (newest first) and unsummed objects. */
export interface AcceptedVersions {
  readonly versions: readonly CheckpointVersion[];
  readonly unsummed: readonly UnsummedVersion[];
}

/** The versions a version-2 manifest vouches for. */
export function acceptedVersions(manifest: CheckpointManifest): AcceptedVersions {
  const versions: CheckpointVersion[] = [versionOf(manifest)];
  const unsummed: UnsummedVersion[] = [];
  for (const p of manifest.previous ?? []) {
    if (isUnsummed(p)) unsummed.push(p);
    else versions.push(p);
  }
  return { versions, unsummed };
}

/** An object that is at the key as a save begins: its size and etag. */
export interface ObjectSeen {
  readonly size: number;
  readonly etag?: string | undefined;
}

function unsummedOf(object: ObjectSeen): UnsummedVersion {
  return {
    unsummed: true,
    size: object.size,
    ...(object.etag !== undefined ? { etag: object.etag } : {}),
  };
}

/**
 * The manifest a save writes before its object: `pending` as the newest version, then what the
 * current manifest vouches for. The earlier versions kept are every one the stored object could
 * be (those of its size, up to {@link MAX_SAME_SIZE}), then the newest others up to
 * {@link MAX_PREVIOUS} in all, so a run of failed saves never pushes out the object that is
 * really there. An object no manifest vouches for (Python's, or one a version-1 manifest calls
 * stale) is kept as an unsummed version, so it stays loadable until the new object lands.
 *
 * @param current the manifest there now (`undefined` when absent or unreadable).
 * @param object the object there now, or `null`.
 */
export function nextManifest(
  current: CheckpointManifest | undefined,
  pending: CheckpointVersion,
  object: ObjectSeen | null,
): CheckpointManifest {
  let earlier: (CheckpointVersion | UnsummedVersion)[] = [];
  if (current?.version === 2) {
    earlier = [versionOf(current), ...(current.previous ?? [])];
  } else if (current !== undefined && object !== null && manifestIsCurrent(current, object)) {
    earlier = [versionOf(current)];
  } else if (object !== null) {
    earlier = [unsummedOf(object)];
  }
  // Unsummed versions only stay while that very object is there.
  earlier = earlier.filter(
    (v) => !isUnsummed(v) || (object !== null && v.size === object.size && v.etag === object.etag),
  );
  const sameSize = new Set(
    earlier.filter((v) => object !== null && v.size === object.size).slice(0, MAX_SAME_SIZE),
  );
  let others = Math.max(0, MAX_PREVIOUS - sameSize.size);
  const previous = earlier.filter((v) => sameSize.has(v) || others-- > 0);
  return {
    version: 2,
    ...pending,
    createdAt: pending.createdAt ?? new Date().toISOString(),
    writer: pending.writer ?? WRITER,
    ...(previous.length > 0 ? { previous } : {}),
  };
}
