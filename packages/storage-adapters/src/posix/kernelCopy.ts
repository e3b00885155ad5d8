import nodeFs from "node:fs";

import type { Bytes } from "../Storage.js";
import { InvalidArgumentError, TransientError } from "../errors.js";
import type { PosixFileHandle } from "./PosixFs.js";

/*
 * The pieces of the posix adapter's local-file copies (`putFile`/`getToFile`): the kernel copy
 * into a temp file, the read alongside it that feeds `onData`, the write-back that overlaps the
 * copy, and the checks that the local file was not changed mid-copy.
 */

/** A local path argument, checked. */
export function localPathOf(localPath: unknown, uri: string): string {
  if (typeof localPath !== "string" || localPath === "") {
    throw new InvalidArgumentError(uri, "localPath must be a non-empty path");
  }
  return localPath;
}

/**
 * The error of a copy whose object was replaced under it `tries` times: transient, as the next
 * try may find it still.
 */
export function replacedWhileCopying(uri: string, tries: number): TransientError {
  return new TransientError(
    uri,
    `the object was replaced while it was being copied${tries > 1 ? `, ${tries} times in a row` : ""}`,
  );
}

/** Whether a local file is, by every stat field a write changes, the version `before` described. */
export function sameLocalVersion(before: nodeFs.Stats, after: nodeFs.Stats): boolean {
  return (
    after.ino === before.ino &&
    after.size === before.size &&
    after.mtimeMs === before.mtimeMs &&
    after.ctimeMs === before.ctimeMs
  );
}

/** How often {@link flushWhile} starts the write-back of a file being copied into. */
const FLUSH_EVERY_MS = 50;

/**
 * Writes a file's data back to the disk while a kernel copy into it runs (an fsync every
 * 50 ms), so the fsync before publishing waits for the tail only, not for the whole file; what
 * `sync_file_range` would do, which Node lacks. Failures are left to that final fsync.
 */
export async function flushWhile(copy: Promise<void>, handle: PosixFileHandle): Promise<void> {
  let done = false;
  copy.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    await new Promise((resolve) => setTimeout(resolve, FLUSH_EVERY_MS));
    if (done) return;
    try {
      await handle.sync();
    } catch {
      return;
    }
  }
}

/** Size of the reused buffer `onData` is read into alongside a kernel copy. */
const ALONG_BYTES = 2 * 1024 * 1024;

/**
 * Reads `[start, end)` of an open file into one reused buffer for `onData`, alongside a kernel
 * copy of the same file (so from the page cache); stops when `stop` is aborted.
 */
export async function readAlong(
  handle: PosixFileHandle,
  start: number,
  end: number,
  onData: (chunk: Bytes) => void,
  stop: AbortSignal,
): Promise<void> {
  const buffer = Buffer.allocUnsafe(Math.min(ALONG_BYTES, Math.max(end - start, 1)));
  for (let position = start; position < end;) {
    stop.throwIfAborted();
    const want = Math.min(buffer.length, end - position);
    const { bytesRead } = await handle.read(buffer, 0, want, position);
    if (bytesRead === 0) break;
    onData(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
}

/**
 * Runs a copy and, if given, a read alongside it; the first failure stops the read (the copy,
 * in the kernel, runs to its end) and is what is thrown, once both have settled.
 */
export async function alongside(
  copy: Promise<void>,
  read: ((stop: AbortSignal) => Promise<void>) | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (read === undefined) return copy;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown): void => {
    if (failure === undefined) failure = { error };
    stop.abort(error);
  };
  try {
    await Promise.all([copy.catch(fail), read(stop.signal).catch(fail)]);
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  if (failure !== undefined) throw failure.error;
}

/**
 * `fs.copyFile` into a temp file this adapter has just created. The copy would take the
 * source's mode; the temp file's own (0o666 less the umask, as every write gets) is put back.
 */
export async function copyInto(source: string, tmp: string): Promise<void> {
  const { mode } = await nodeFs.promises.stat(tmp);
  await nodeFs.promises.copyFile(source, tmp);
  await nodeFs.promises.chmod(tmp, mode & 0o7777);
}

/** The blocking twin of {@link copyInto}; `fd` is open on `tmp`. */
export function copyIntoSync(source: string, tmp: string, fd: number): void {
  const { mode } = nodeFs.fstatSync(fd);
  nodeFs.copyFileSync(source, tmp);
  nodeFs.fchmodSync(fd, mode & 0o7777);
}
