import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Storage } from "@flyte/storage-adapters";
import { PeekableStream } from "../PeekableStream.js";
import type { ExtractorOptions } from "../SafeExtractor.js";
import { createChecksum } from "../checksum/createChecksum.js";
import type { ChecksumAlgorithm } from "../checksum/createChecksum.js";
import { classifyRestoreError, isArchiveDamage } from "../classifyError.js";
import { PAYLOAD } from "../IoContext.js";
import type { IoContext, Restored } from "../IoContext.js";
import { manifestKey, storedKind } from "../manifest.js";
import { SNIFF_BYTES, sniffFormat } from "../sniffFormat.js";
import type { SniffedFormat } from "../sniffFormat.js";
import type { Located } from "../storageAccess.js";
import { isNotFound } from "../storageAccess.js";
import { MAX_PASSES, backoff, changedSince } from "./downloadProtocol.js";
import { extractArchiveStream } from "./extractArchive.js";
import { algorithmsFor, candidatesOfSize, judgeObject, viewManifest } from "./judgeObject.js";
import type { ManifestView } from "./judgeObject.js";

/**
 * A restore that writes no data (an inspection): each pass is announced with the kind it reads
 * the object as, and answers with the extractor options to use (`discardData`, `onEntry`).
 */
export interface DryRun {
  pass(kind: SniffedFormat): ExtractorOptions;
}

async function manifestView(
  storage: Storage,
  key: string,
  uri: string,
  signal: AbortSignal | undefined,
): Promise<ManifestView> {
  let bytes: Uint8Array | null;
  try {
    bytes = await storage.get(manifestKey(key), signal ? { signal } : {});
  } catch (error) {
    if (!isNotFound(error)) throw error;
    bytes = null;
  }
  return viewManifest(bytes, uri);
}

/**
 * Restores the object at `where` by streaming it (never whole in memory, never a temp copy):
 * a directory archive is gunzipped and extracted on the fly, bytes and files are written to
 * `payload`, and the object is summed as it goes. For remote storages (S3, Azure), where one
 * GET reads one version whole.
 *
 * The format has to be chosen before the bytes are read: the manifest's versions of the size
 * `head` gave say which, or, when they disagree or there is no manifest, the stream's own
 * first bytes. The bytes are then judged as {@link downloadProtocol} does (the manifest read
 * again after them when they match nothing in the first one). Bytes that turn out to be a
 * version of the other format (the object was replaced between `head` and the read) are read
 * again as that format; a result is only ever returned with the format of the version it
 * matched, so an archive never comes back as bytes.
 */
export async function restoreByStream(
  where: Located,
  staging: string,
  io: IoContext,
  signal?: AbortSignal,
  dryRun?: DryRun,
): Promise<Restored | undefined> {
  const { storage, key, uri } = where;
  const tree = join(staging, "tree");
  let forced: SniffedFormat | undefined;
  let lastDamage: unknown;
  try {
    for (let pass = 0; ; pass++) {
      const last = pass + 1 >= MAX_PASSES;
      const head = await storage.head(key);
      if (head === null) return undefined;
      const before = await manifestView(storage, key, uri, signal);
      if (before.kind === "none" && head.size === 0) return undefined;
      const candidates = candidatesOfSize(before, head.size);
      const kinds = new Set(candidates.map(storedKind));
      let source: AsyncIterable<Uint8Array>;
      try {
        source = await storage.getStream(key, signal ? { signal } : {});
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
      const sums = new Map<ChecksumAlgorithm, ReturnType<typeof createChecksum>>(
        [...algorithmsFor(before)].map((a) => [a, createChecksum(a)]),
      );
      let size = 0;
      const counted = async function* (): AsyncGenerator<Uint8Array> {
        for await (const chunk of source) {
          signal?.throwIfAborted();
          size += chunk.length;
          for (const s of sums.values()) s.update(chunk);
          yield chunk;
        }
      };
      const stream = new PeekableStream(counted());
      const sniffed = sniffFormat(await stream.peek(SNIFF_BYTES));
      // The stream's own first bytes decide, so the kind fits the version being read (`head`
      // may have described another): bytes that are no archive are read raw; an archive is read
      // as one, unless the manifest's versions of this size are all raw (a .tar.gz saved as a
      // file) or an earlier pass found it is a raw version.
      const kind: SniffedFormat =
        sniffed === "raw"
          ? "raw"
          : (forced ?? (kinds.size === 1 && kinds.has("raw") ? "raw" : sniffed));
      forced = undefined;
      rmSync(tree, { recursive: true, force: true });
      mkdirSync(tree, { recursive: true });
      const extractorOptions = dryRun?.pass(kind);
      let damage: unknown;
      try {
        if (kind === "raw" && dryRun) {
          for await (const chunk of stream) void chunk;
        } else if (kind === "raw") {
          // A stream pipeline lets the download, the hashing and the disk writes overlap.
          await pipeline(
            Readable.from(stream, { objectMode: false, highWaterMark: 8 << 20 }),
            createWriteStream(join(tree, PAYLOAD), {
              flags: "wx",
              mode: 0o644,
              highWaterMark: 8 << 20,
            }),
          );
        } else {
          // No `expandedSize` guard here: which version is being read is known only at its end
          // (a `head` may have described another), and the checksum then decides.
          await extractArchiveStream(
            stream,
            kind,
            { tree, uri, limits: io.limits, ...extractorOptions },
            () => size,
            signal,
          );
        }
      } catch (error) {
        if (!isArchiveDamage(error)) throw error;
        damage = lastDamage = error;
      }
      if (damage === undefined) {
        const read = {
          size,
          etag: head.etag,
          digest: (a: ChecksumAlgorithm) => sums.get(a)?.digest(),
        };
        let verdict = judgeObject(before, read, uri);
        if (verdict.kind === "mismatch")
          verdict = judgeObject(await manifestView(storage, key, uri, signal), read, uri);
        if (verdict.kind === "verified") {
          const want = storedKind(verdict.version);
          if (want === kind) return { format: verdict.version.format, verified: true, tree };
          if (last)
            throw new TypeError(
              `the object is a ${verdict.version.format} checkpoint but kept being read as another kind`,
            );
          forced = want;
          continue;
        }
        if (verdict.kind === "python") {
          if (kind !== sniffed) {
            // Python's rule goes by the first bytes: an object that does not read as the archive
            // they announce is damaged.
            if (lastDamage !== undefined || last)
              throw (
                lastDamage ??
                new TypeError("the object is not the archive its first bytes announce")
              );
            forced = sniffed;
            continue;
          }
          if (verdict.stale)
            io.warn(
              `the manifest beside ${uri} describes an earlier save (written by an older release after its object); loading the object without it`,
            );
          if (size === 0) return undefined;
          return { format: kind === "raw" ? "file" : "dir", verified: false, tree };
        }
        if (!last && changedSince(await storage.head(key), head)) {
          lastDamage = undefined;
          await new Promise((resolve) => setTimeout(resolve, backoff(pass)));
          continue;
        }
        throw verdict.error;
      }
      // The bytes are no archive. A Python object (no manifest) is damaged; a vouched-for one is
      // read again if it changed, else read raw once, so its checksum tells damage (the error
      // then says which version it should have been) from a raw version that looks like an archive.
      if (before.kind === "none" || last) throw damage;
      if (changedSince(await storage.head(key), head)) {
        lastDamage = undefined;
        await new Promise((resolve) => setTimeout(resolve, backoff(pass)));
        continue;
      }
      forced = "raw";
    }
  } catch (error) {
    throw classifyRestoreError(error, uri, signal);
  }
}
