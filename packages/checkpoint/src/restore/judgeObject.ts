import type { ChecksumAlgorithm } from "../checksum/createChecksum.js";
import { CheckpointChecksumError, CheckpointCorruptError } from "../errors.js";
import type { CheckpointDigest } from "../errors.js";
import {
  acceptedVersions,
  decodeManifest,
  manifestChecksum,
  manifestIsCurrent,
  versionOf,
} from "../manifest.js";
import type { AcceptedVersions, CheckpointManifest, CheckpointVersion } from "../manifest.js";

/** What the manifest beside an object says, as a load reads it. */
export type ManifestView =
  | { readonly kind: "none" }
  /** An older after-the-object manifest, naming one object by etag. */
  | { readonly kind: "v1"; readonly manifest: CheckpointManifest }
  | {
      readonly kind: "v2";
      readonly manifest: CheckpointManifest;
      readonly accepted: AcceptedVersions;
    };

/** The view of manifest bytes (`null`: no manifest); unreadable bytes are damage. */
export function viewManifest(bytes: Uint8Array | null, uri: string): ManifestView {
  if (bytes === null) return { kind: "none" };
  let manifest: CheckpointManifest;
  try {
    manifest = decodeManifest(bytes);
  } catch (error) {
    throw new CheckpointCorruptError(
      uri,
      `checkpoint manifest is unreadable: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return manifest.version === 2
    ? { kind: "v2", manifest, accepted: acceptedVersions(manifest) }
    : { kind: "v1", manifest };
}

/** The checksums a load must compute to judge an object against `view`. */
export function algorithmsFor(view: ManifestView): Set<ChecksumAlgorithm> {
  const out = new Set<ChecksumAlgorithm>(["crc32"]);
  const versions =
    view.kind === "v2" ? view.accepted.versions : view.kind === "v1" ? [view.manifest] : [];
  for (const v of versions) out.add(manifestChecksum(v).algorithm);
  return out;
}

/** The summed versions of `view` an object of `size` bytes could be, in manifest order. */
export function candidatesOfSize(view: ManifestView, size: number): CheckpointVersion[] {
  if (view.kind === "v2") return view.accepted.versions.filter((v) => v.size === size);
  if (view.kind === "v1") return view.manifest.size === size ? [versionOf(view.manifest)] : [];
  return [];
}

/** An object as it was read: its size, its version tag, and its checksums (when computed). */
export interface ReadObject {
  readonly size: number;
  readonly etag?: string | undefined;
  /** The object's checksum by `algorithm`, or `undefined` when it was not computed. */
  digest(algorithm: ChecksumAlgorithm): string | undefined;
}

/** What a load does with an object. */
export type Verdict =
  /** A version the manifest vouches for: restored as its format says. */
  | { readonly kind: "verified"; readonly version: CheckpointVersion }
  /** No manifest vouches for it, nor against it: restored by Python's rule (sniffed), unverified. */
  | { readonly kind: "python"; readonly stale: boolean }
  /** The manifest vouches for other objects only: damage, unless the object changed meanwhile. */
  | { readonly kind: "mismatch"; readonly error: CheckpointChecksumError };

function digestOf(read: ReadObject, algorithm: ChecksumAlgorithm): CheckpointDigest {
  const digest = read.digest(algorithm);
  return { size: read.size, ...(digest !== undefined ? { [algorithm]: digest } : {}) };
}

function matches(version: CheckpointVersion, read: ReadObject): boolean {
  if (version.size !== read.size) return false;
  const { algorithm, digest } = manifestChecksum(version);
  return read.digest(algorithm) === digest;
}

function mismatch(uri: string, versions: readonly CheckpointVersion[], read: ReadObject): Verdict {
  // Reported against the version it most likely is: one of its size, else the newest.
  const expected = versions.find((v) => v.size === read.size) ?? versions[0]!;
  const { algorithm, digest } = manifestChecksum(expected);
  return {
    kind: "mismatch",
    error: new CheckpointChecksumError(
      uri,
      { size: expected.size, [algorithm]: digest },
      digestOf(read, algorithm),
      versions.length,
    ),
  };
}

/**
 * Judges an object that was read whole against the manifest read after it. A version-2
 * manifest lists every version a save may have left there, so a match with none of them is
 * damage; a version-1 manifest vouches only for the object of its etag and calls any other
 * stale (Python's rule, with a warning).
 */
export function judgeObject(view: ManifestView, read: ReadObject, uri: string): Verdict {
  if (view.kind === "none") return { kind: "python", stale: false };
  if (view.kind === "v1") {
    if (!manifestIsCurrent(view.manifest, read)) return { kind: "python", stale: true };
    return matches(view.manifest, read)
      ? { kind: "verified", version: versionOf(view.manifest) }
      : mismatch(uri, [view.manifest], read);
  }
  const version = view.accepted.versions.find((v) => matches(v, read));
  if (version !== undefined) return { kind: "verified", version };
  const unsummed = view.accepted.unsummed.find(
    (u) => u.size === read.size && (u.etag === undefined || u.etag === read.etag),
  );
  if (unsummed !== undefined) return { kind: "python", stale: false };
  return mismatch(uri, view.accepted.versions, read);
}
