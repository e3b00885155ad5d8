import { AlreadyExistsError, PreconditionFailedError } from "../errors.js";
import type { NormalizedPutMode } from "../internal/normalizePutMode.js";
import type { PosixFs, PosixStats } from "./PosixFs.js";
import { errnoCode } from "./posixError.js";
import { etagOf } from "./posixMeta.js";
import { isMissing } from "./posixWriteError.js";

/*
 * Publishing a finished temp file under its key, the one step of a write readers can see.
 * "create" links it (the link fails with EEXIST if the key exists, so a racer never replaces
 * the winner); the other modes rename it over the key, which readers see whole or not at all.
 */

/**
 * Publishes `tmp` as `final` on a shared file system (the disk), where `rename` replaces the
 * target atomically. Returns whether `tmp` is gone (renamed); a link leaves it to be removed.
 */
export async function publish(
  fs: PosixFs,
  mode: NormalizedPutMode,
  tmp: string,
  final: string,
  uri: string,
): Promise<boolean> {
  if (mode.kind === "create") {
    await fs.promises.link(tmp, final).catch((error: unknown) => {
      throw linkError(error, uri);
    });
    return false;
  }
  // A compare-and-swap must check and rename in one step (callers allow it on memfs only).
  if (mode.kind === "ifMatch") return publishSync(fs, mode, tmp, final, uri, false);
  await fs.promises.rename(tmp, final);
  return true;
}

/**
 * Publishes `tmp` as `final` in one synchronous step. On a single-process volume (memfs)
 * nothing can interleave with it, which is what makes the `{ ifMatch }` check and the rename
 * one atomic compare-and-swap, and what makes it safe to unlink the old object just before
 * the rename: memfs's `rename` over an existing file never frees the file it replaces (it
 * stays in the volume's inode table, with all its bytes, for the life of the volume), so
 * every overwrite would otherwise leak the old version. A reader that has the old object
 * open keeps reading it, as on a disk. Returns whether `tmp` is gone, as {@link publish}.
 */
export function publishSync(
  fs: PosixFs,
  mode: NormalizedPutMode,
  tmp: string,
  final: string,
  uri: string,
  singleProcess: boolean,
): boolean {
  if (mode.kind === "create") {
    try {
      fs.linkSync(tmp, final);
    } catch (error) {
      throw linkError(error, uri);
    }
    return false;
  }
  if (mode.kind === "ifMatch") {
    const current = statIfAny(fs, final);
    if (!current?.isFile() || etagOf(current) !== mode.etag) throw new PreconditionFailedError(uri);
  }
  if (singleProcess) {
    try {
      fs.unlinkSync(final);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  fs.renameSync(tmp, final);
  return true;
}

function statIfAny(fs: PosixFs, file: string): PosixStats | undefined {
  try {
    return fs.statSync(file);
  } catch (error) {
    if (!isMissing(error)) throw error;
    return undefined;
  }
}

function linkError(error: unknown, uri: string): unknown {
  return errnoCode(error) === "EEXIST" ? new AlreadyExistsError(uri, { cause: error }) : error;
}
