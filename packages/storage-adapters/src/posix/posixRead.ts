import type { Bytes, GetOptions } from "../Storage.js";
import { NotFoundError } from "../errors.js";
import { abortOr } from "../internal/abort.js";
import { normalizeRange } from "../internal/normalizeRange.js";
import type { PosixFileHandle } from "./PosixFs.js";
import type { PosixVolume } from "./PosixVolume.js";
import { posixError } from "./posixError.js";
import { isMissing } from "./posixWriteError.js";

/** An object opened for reading: the handle pins one version, whatever later writes do. */
export interface OpenedObject {
  readonly handle: PosixFileHandle;
  /** The byte range to read, `[start, end)`, already clamped to the object's size. */
  readonly start: number;
  readonly end: number;
}

/**
 * Opens `key` for reading. A missing key (or a folder) is `NotFoundError`; a path that leads
 * outside the root through a link is refused before a byte is read.
 */
export async function openForRead(
  volume: PosixVolume,
  key: string,
  uri: string,
  options: GetOptions,
): Promise<OpenedObject> {
  const file = volume.root.pathOf(key, uri);
  options.signal?.throwIfAborted();
  // Opened while the real path is checked, not after: it saves a round trip per read. A
  // handle whose path leads outside the root is closed unread.
  const [opened, checked] = await Promise.allSettled([
    volume.fs.promises.open(file, "r"),
    volume.root.realInside(file, uri),
  ]);
  if (opened.status === "rejected" || checked.status === "rejected") {
    if (opened.status === "fulfilled") await opened.value.close().catch(() => undefined);
    const error: unknown =
      checked.status === "rejected" ? checked.reason : (opened as PromiseRejectedResult).reason;
    throw isMissing(error) ? new NotFoundError(uri, { cause: error }) : posixError(error, uri);
  }
  const handle = opened.value;
  try {
    options.signal?.throwIfAborted();
    const stats = await handle.stat();
    if (!stats.isFile()) throw new NotFoundError(uri);
    const { start, end } = normalizeRange(options.range, stats.size, uri);
    return { handle, start, end };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw abortOr(options.signal, posixError(error, uri));
  }
}

/** The blocking twin of {@link openForRead}: a file descriptor on the whole object. */
export function openForReadSync(volume: PosixVolume, key: string, uri: string): number {
  const file = volume.root.pathOf(key, uri);
  let fd: number;
  try {
    fd = volume.fs.openSync(volume.root.realInsideSync(file, uri), "r");
  } catch (error) {
    throw isMissing(error) ? new NotFoundError(uri, { cause: error }) : posixError(error, uri);
  }
  try {
    if (!volume.fs.fstatSync(fd).isFile()) throw new NotFoundError(uri);
    return fd;
  } catch (error) {
    volume.fs.closeSync(fd);
    throw posixError(error, uri);
  }
}

/** Reads the opened range into one buffer and closes the handle; `signal` is checked between reads. */
export async function readOpened(
  { handle, start, end }: OpenedObject,
  uri: string,
  signal: AbortSignal | undefined,
): Promise<Bytes> {
  try {
    const out = Buffer.allocUnsafe(end - start);
    let filled = 0;
    while (filled < out.length) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(out, filled, out.length - filled, start + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    signal?.throwIfAborted();
    return filled === out.length ? out : out.subarray(0, filled);
  } catch (error) {
    throw abortOr(signal, posixError(error, uri));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * The opened range as a stream of `chunkSize` chunks, each a fresh buffer (the consumer may
 * keep it); the handle is closed however the consumer stops. An abort ends the stream with
 * the signal's reason at the next chunk.
 */
export async function* readChunks(
  { handle, start, end }: OpenedObject,
  chunkSize: number,
  uri: string,
  signal: AbortSignal | undefined,
): AsyncIterable<Bytes> {
  try {
    let position = start;
    while (position < end) {
      signal?.throwIfAborted();
      const want = Math.min(chunkSize, end - position);
      const buffer = Buffer.allocUnsafe(want);
      const { bytesRead } = await handle.read(buffer, 0, want, position).catch((error: unknown) => {
        throw abortOr(signal, posixError(error, uri));
      });
      if (bytesRead === 0) break;
      position += bytesRead;
      yield bytesRead === want ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The blocking twin of {@link readOpened}: the whole object behind `fd`, which it closes. */
export function readWholeSync(volume: PosixVolume, fd: number, uri: string): Bytes {
  try {
    const size = volume.fs.fstatSync(fd).size;
    const out = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const n = volume.fs.readSync(fd, out, filled, size - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return filled === size ? out : out.subarray(0, filled);
  } catch (error) {
    throw posixError(error, uri);
  } finally {
    volume.fs.closeSync(fd);
  }
}
