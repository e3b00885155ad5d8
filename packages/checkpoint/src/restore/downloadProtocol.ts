import { join } from "node:path";
import type { ObjectMeta } from "@flyte/storage-adapters";
import type { ChecksumAlgorithm } from "../checksum/createChecksum.js";
import type { Restored } from "../IoContext.js";
import { storedKind } from "../manifest.js";
import type { CheckpointFormat } from "../manifest.js";
import type { SniffedFormat } from "../sniffFormat.js";
import { isTransient } from "../storageAccess.js";
import { algorithmsFor, judgeObject, viewManifest } from "./judgeObject.js";
import type { ReadObject, Verdict } from "./judgeObject.js";

/** Passes a load makes at most when the object keeps changing under it (a save running). */
export const MAX_PASSES = 8;

/** How long to wait before pass `pass + 1`: short, growing, jittered. */
export function backoff(pass: number): number {
  return 10 * 2 ** Math.min(pass, 4) + Math.random() * 10;
}

/** Whether the object (now `now`) is no longer the version `read` was. */
export function changedSince(
  now: ObjectMeta | null,
  read: Pick<ObjectMeta, "etag" | "size">,
): boolean {
  if (now === null) return true;
  return now.etag !== read.etag || now.size !== read.size;
}

/** A downloaded object: the version copied, its size, and the checksums summed alongside. */
export interface Downloaded {
  readonly meta: ObjectMeta;
  readonly size: number;
  readonly digests: ReadonlyMap<ChecksumAlgorithm, string>;
}

/** How a downloaded object is restored. */
export interface RestorePlan {
  readonly kind: "raw" | "tar.gz" | "tar";
  readonly format: CheckpointFormat;
  readonly verified: boolean;
  readonly expandedSize?: number | undefined;
}

/** One step of the download-then-judge load, performed by a blocking or an async driver. */
export type LoadStep =
  /** Copies the object to `path`; resolves to {@link Downloaded}, or `null` when there is none. */
  | { readonly op: "download"; readonly path: string }
  /** The manifest's bytes, or `null`. */
  | { readonly op: "manifest" }
  /** The object's metadata now, or `null`. */
  | { readonly op: "head" }
  /** Checksums of the local file: `{ size, digests }`. */
  | {
      readonly op: "digest";
      readonly path: string;
      readonly algorithms: readonly ChecksumAlgorithm[];
    }
  /** Python's sniff of the local file. */
  | { readonly op: "sniff"; readonly path: string }
  | { readonly op: "sleep"; readonly ms: number }
  /** Restores the local file into `tree` as the plan says; resolves to the {@link Restored}. */
  | {
      readonly op: "restore";
      readonly path: string;
      readonly tree: string;
      readonly plan: RestorePlan;
    };

/** What the steps resolve to. */
export type LoadStepResult = unknown;

/** Where a download-then-judge load works. */
export interface DownloadContext {
  readonly uri: string;
  /** A fresh folder of the load's own. */
  readonly staging: string;
  readonly warn: (message: string) => void;
}

/**
 * A load that copies the object to a local file first (on the disk a kernel copy, summed
 * alongside), then reads the manifest, then judges the copy against it (see
 * {@link judgeObject}): the manifest is read after the object, and every save writes its
 * manifest before its object, so whatever version was copied is vouched for by it unless the
 * object is damaged. The format comes from the version that matched (a Python object's from its
 * first bytes), so a gzip is never returned as bytes nor the other way round. An object that
 * matches nothing is looked at again when it changed since it was copied (a save replaced it),
 * else reported as damage.
 */
export function* downloadProtocol(
  ctx: DownloadContext,
): Generator<LoadStep, Restored | undefined, LoadStepResult> {
  for (let pass = 0; ; pass++) {
    const file = join(ctx.staging, `download-${pass}`);
    // A look first: a missing object costs no download, and a refusal surfaces from the lookup.
    const head = (yield { op: "head" }) as ObjectMeta | null;
    if (head === null) return undefined;
    let got: Downloaded | null;
    try {
      got = (yield { op: "download", path: file }) as Downloaded | null;
    } catch (error) {
      // A copy that met a replacement of the object (the disk adapter says so with a transient
      // error) is made again; any other fault is the storage's, already retried by it.
      if (
        !isTransient(error) ||
        pass + 1 >= MAX_PASSES ||
        !changedSince((yield { op: "head" }) as ObjectMeta | null, head)
      )
        throw error;
      yield { op: "sleep", ms: backoff(pass) };
      continue;
    }
    if (got === null) return undefined;
    const view = viewManifest((yield { op: "manifest" }) as Uint8Array | null, ctx.uri);
    if (view.kind === "none" && got.size === 0) return undefined; // Python: an empty object is none
    const digests = new Map(got.digests);
    const missing = [...algorithmsFor(view)].filter((a) => !digests.has(a));
    if (missing.length > 0) {
      const summed = (yield { op: "digest", path: file, algorithms: missing }) as {
        digests: ReadonlyMap<ChecksumAlgorithm, string>;
      };
      for (const [a, d] of summed.digests) digests.set(a, d);
    }
    const read: ReadObject = { size: got.size, etag: got.meta.etag, digest: (a) => digests.get(a) };
    const verdict = judgeObject(view, read, ctx.uri);
    if (verdict.kind === "mismatch") {
      const now = (yield { op: "head" }) as ObjectMeta | null;
      if (changedSince(now, got.meta) && pass + 1 < MAX_PASSES) {
        yield { op: "sleep", ms: backoff(pass) };
        continue;
      }
      throw verdict.error;
    }
    if (verdict.kind === "python" && verdict.stale) {
      ctx.warn(
        `the manifest beside ${ctx.uri} describes an earlier save (written by an older release after its object); loading the object without it`,
      );
    }
    const plan =
      verdict.kind === "verified"
        ? planVerified(verdict)
        : planPython((yield { op: "sniff", path: file }) as SniffedFormat);
    return (yield { op: "restore", path: file, tree: join(ctx.staging, "tree"), plan }) as Restored;
  }
}

function planVerified(verdict: Extract<Verdict, { kind: "verified" }>): RestorePlan {
  const { version } = verdict;
  return {
    kind: storedKind(version),
    format: version.format,
    verified: true,
    expandedSize: version.expandedSize,
  };
}

/** Python's rule: a tar (gzipped or not) is a directory, anything else a file. */
export function planPython(sniffed: SniffedFormat): RestorePlan {
  return { kind: sniffed, format: sniffed === "raw" ? "file" : "dir", verified: false };
}
