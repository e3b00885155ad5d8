import nodeFs from "node:fs";
import path from "node:path";

import type { GetToFileOptions, ObjectMeta, PutFileOptions, PutOptions } from "../Storage.js";
import { InvalidArgumentError } from "../errors.js";
import { abortOr } from "../internal/abort.js";
import { tempName } from "./AtomicWriter.js";
import type { PosixVolume } from "./PosixVolume.js";
import {
  alongside,
  copyInto,
  copyIntoSync,
  flushWhile,
  localPathOf,
  readAlong,
  replacedWhileCopying,
  sameLocalVersion,
} from "./kernelCopy.js";
import { posixError } from "./posixError.js";
import { etagOf, posixMeta } from "./posixMeta.js";
import { openForRead, openForReadSync } from "./posixRead.js";
import { writeAll, writeAllSync } from "./writeAll.js";

/*
 * The posix adapter's local-file copies (`putFile`/`getToFile` and their blocking twins). On
 * the disk the kernel copies (`fs.copyFile`, see kernelCopy.ts); on memfs bytes go through one
 * reused buffer. Local files are always on the real disk, whatever volume the objects are on.
 */

/** Copy buffer where the kernel cannot copy (memfs). */
const COPY_BYTES = 1024 * 1024;
/** Tries of `getToFile` when the object is replaced while it is being copied. */
const COPY_TRIES = 3;

/** `putFile`: the local file's content, written to `key` with `put`'s atomicity and modes. */
export async function putFile(
  volume: PosixVolume,
  key: string,
  localPath: string,
  options: PutFileOptions,
): Promise<ObjectMeta> {
  const uri = volume.root.uriOf(key);
  const local = localPathOf(localPath, uri);
  const localUri = `file://${path.resolve(local)}`;
  options.signal?.throwIfAborted();
  // Opened first, so a local file that cannot be read fails before any temp file exists; the
  // handle pins the version that `onData` reads and that the copy must match.
  let input: nodeFs.promises.FileHandle;
  let before: nodeFs.Stats;
  try {
    input = await nodeFs.promises.open(local, "r");
    before = await input.stat().catch(async (error: unknown) => {
      await input.close().catch(() => undefined);
      throw error;
    });
  } catch (error) {
    throw posixError(error, localUri);
  }
  try {
    return await volume.writer.write(key, uri, options, async (handle, tmp) => {
      const { onData, signal } = options;
      if (!volume.onDisk) {
        const buffer = Buffer.allocUnsafe(COPY_BYTES);
        for (let position = 0; ;) {
          signal?.throwIfAborted();
          const { bytesRead } = await input.read(buffer, 0, buffer.length, position);
          if (bytesRead === 0) break;
          onData?.(buffer.subarray(0, bytesRead));
          await writeAll(handle, buffer.subarray(0, bytesRead));
          position += bytesRead;
        }
        return;
      }
      const read = onData
        ? (stop: AbortSignal) => readAlong(input, 0, before.size, onData, stop)
        : undefined;
      const copy = copyInto(local, tmp);
      const flushing = volume.writer.syncsData ? flushWhile(copy, handle) : undefined;
      try {
        await alongside(copy, read, signal);
      } finally {
        await flushing;
      }
      // `fs.copyFile` opened the path again: it must have copied the pinned version, whole.
      if (!sameLocalVersion(before, await nodeFs.promises.stat(local))) {
        throw new InvalidArgumentError(
          localUri,
          "the local file changed while it was being copied",
        );
      }
    });
  } finally {
    await input.close().catch(() => undefined);
  }
}

/** `getToFile`: the object copied to a local file, retried when it is replaced mid-copy. */
export async function getToFile(
  volume: PosixVolume,
  key: string,
  localPath: string,
  options: GetToFileOptions,
): Promise<ObjectMeta> {
  const uri = volume.root.uriOf(key);
  const target = path.resolve(localPathOf(localPath, uri));
  // With `onData`, which has seen the replaced version's bytes, the caller must start over.
  const tries = options.onData ? 1 : COPY_TRIES;
  for (let attempt = 1; ; attempt++) {
    const copied = await getToFileOnce(volume, key, uri, target, options);
    if (copied !== undefined) return copied;
    if (attempt >= tries) throw replacedWhileCopying(uri, attempt);
  }
}

/**
 * One try of `getToFile`: the object is opened (which pins its version), copied to a temp
 * file beside `target` and renamed over it. `undefined` when the object was replaced while
 * `fs.copyFile` (which opens it again by path) copied it, so the copy may be of another version.
 */
async function getToFileOnce(
  volume: PosixVolume,
  key: string,
  uri: string,
  target: string,
  { signal, onData }: GetToFileOptions,
): Promise<ObjectMeta | undefined> {
  const opened = await openForRead(volume, key, uri, signal ? { signal } : {});
  const { handle, start, end } = opened;
  // Written beside its final name and renamed, so a crash never leaves a half-copied file there.
  const tmp = path.join(path.dirname(target), tempName());
  let out: nodeFs.promises.FileHandle | undefined;
  let renamed = false;
  try {
    const stats = await handle.stat();
    out = await nodeFs.promises.open(tmp, "wx", 0o666);
    if (volume.onDisk) {
      const source = await volume.root.realInside(volume.root.pathOf(key, uri), uri);
      const read = onData
        ? (stop: AbortSignal) => readAlong(handle, start, end, onData, stop)
        : undefined;
      await alongside(copyInto(source, tmp), read, signal);
      // `fs.copyFile` opened the path again: it must have copied the version `handle` pins.
      if (etagOf(await nodeFs.promises.stat(source)) !== etagOf(stats)) return undefined;
    } else {
      const buffer = Buffer.allocUnsafe(Math.min(COPY_BYTES, Math.max(end - start, 1)));
      for (let position = start; position < end;) {
        signal?.throwIfAborted();
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) break;
        onData?.(buffer.subarray(0, bytesRead));
        await writeAll(out, buffer.subarray(0, bytesRead));
        position += bytesRead;
      }
    }
    await out.close();
    out = undefined;
    signal?.throwIfAborted();
    await nodeFs.promises.rename(tmp, target);
    renamed = true;
    return posixMeta(key, stats);
  } catch (error) {
    throw abortOr(signal, posixError(error, uri));
  } finally {
    if (out !== undefined) await out.close().catch(() => undefined);
    if (!renamed) await nodeFs.promises.unlink(tmp).catch(() => undefined);
    await handle.close().catch(() => undefined);
  }
}

/** The blocking twin of {@link putFile}. */
export function putFileSync(
  volume: PosixVolume,
  key: string,
  localPath: string,
  options: Pick<PutOptions, "mode">,
): ObjectMeta {
  const uri = volume.root.uriOf(key);
  const local = localPathOf(localPath, uri);
  const localUri = `file://${path.resolve(local)}`;
  let input: number;
  try {
    input = nodeFs.openSync(local, "r");
  } catch (error) {
    throw posixError(error, localUri);
  }
  try {
    return volume.writer.writeSync(key, uri, options, (fd, tmp) => {
      if (volume.onDisk) {
        const before = nodeFs.fstatSync(input);
        copyIntoSync(local, tmp, fd);
        if (!sameLocalVersion(before, nodeFs.statSync(local))) {
          throw new InvalidArgumentError(
            localUri,
            "the local file changed while it was being copied",
          );
        }
        return;
      }
      const buffer = Buffer.allocUnsafe(COPY_BYTES);
      for (let position = 0; ;) {
        const n = nodeFs.readSync(input, buffer, 0, buffer.length, position);
        if (n === 0) break;
        writeAllSync(volume.fs.writeSync, fd, buffer.subarray(0, n));
        position += n;
      }
    });
  } finally {
    nodeFs.closeSync(input);
  }
}

/** The blocking twin of {@link getToFile}. */
export function getToFileSync(volume: PosixVolume, key: string, localPath: string): ObjectMeta {
  const uri = volume.root.uriOf(key);
  const target = path.resolve(localPathOf(localPath, uri));
  for (let attempt = 1; ; attempt++) {
    const copied = getToFileOnceSync(volume, key, uri, target);
    if (copied !== undefined) return copied;
    if (attempt >= COPY_TRIES) throw replacedWhileCopying(uri, attempt);
  }
}

/** The blocking twin of {@link getToFileOnce}. */
function getToFileOnceSync(
  volume: PosixVolume,
  key: string,
  uri: string,
  target: string,
): ObjectMeta | undefined {
  const fd = openForReadSync(volume, key, uri);
  const tmp = path.join(path.dirname(target), tempName());
  let out: number | undefined;
  let renamed = false;
  try {
    const stats = volume.fs.fstatSync(fd);
    out = nodeFs.openSync(tmp, "wx", 0o666);
    if (volume.onDisk) {
      const source = volume.root.realInsideSync(volume.root.pathOf(key, uri), uri);
      copyIntoSync(source, tmp, out);
      if (etagOf(nodeFs.statSync(source)) !== etagOf(stats)) return undefined;
    } else {
      const buffer = Buffer.allocUnsafe(Math.min(COPY_BYTES, Math.max(stats.size, 1)));
      for (let position = 0; ;) {
        const n = volume.fs.readSync(fd, buffer, 0, buffer.length, position);
        if (n === 0) break;
        writeAllSync(nodeFs.writeSync, out, buffer.subarray(0, n));
        position += n;
      }
    }
    nodeFs.closeSync(out);
    out = undefined;
    nodeFs.renameSync(tmp, target);
    renamed = true;
    return posixMeta(key, stats);
  } catch (error) {
    throw posixError(error, uri);
  } finally {
    if (out !== undefined) nodeFs.closeSync(out);
    if (!renamed) {
      try {
        nodeFs.unlinkSync(tmp);
      } catch {
        // never created
      }
    }
    volume.fs.closeSync(fd);
  }
}
