import { randomBytes } from "node:crypto";
import * as nodeFs from "node:fs";
import * as path from "node:path";

import type {
  Bytes,
  Capabilities,
  FileStorage,
  GetOptions,
  GetToFileOptions,
  ListEntry,
  ListOptions,
  ObjectMeta,
  PutFileOptions,
  PutOptions,
  PutStreamOptions,
  Storage,
  SyncStorage,
} from "../Storage.js";
import {
  AlreadyExistsError,
  InvalidArgumentError,
  InvalidKeyError,
  NotFoundError,
  PreconditionFailedError,
  TransientError,
  UnsupportedError,
} from "../errors.js";
import { bodyBytes, bodyChunks } from "../internal/bodyBytes.js";
import type { NormalizedPutMode } from "../internal/normalizePutMode.js";
import { normalizePutMode } from "../internal/normalizePutMode.js";
import { normalizeRange } from "../internal/normalizeRange.js";
import type { PosixFileHandle, PosixFs, PosixStats } from "./PosixFs.js";
import { errnoCode, posixError } from "./posixError.js";
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
import { posixKeySegments, TEMP_PREFIX } from "./posixKey.js";

/** Options of {@link PosixStorage}. */
export interface PosixStorageOptions {
  /** The `fs` module to work through: `node:fs` for the disk, `memfs().fs` for an in-memory volume. */
  readonly fs: PosixFs;
  /** The absolute folder keys are relative to; created on the first write. */
  readonly root: string;
  /** The scheme reported by `storage.scheme`. @default "file" */
  readonly scheme?: string;
  /** Prefix of the URIs named in errors, ending with `/`. @default `file://<root>/` */
  readonly baseUri?: string;
  /** fsync each temp file before publishing it (skipped where the file system cannot). @default true */
  readonly fsync?: boolean;
  /**
   * The file system is reachable from this process only (memfs). Then a compare-and-swap can
   * check and publish in one synchronous step that nothing else can interleave with, so
   * `{ ifMatch }` is supported. On a shared disk other processes could, so it is refused.
   * @default false
   */
  readonly singleProcess?: boolean;
  /** Size of the chunks `getStream` yields. @default 1 MiB */
  readonly chunkSize?: number;
  /**
   * Temporary files of writes that never finished (a process killed mid-write) are removed from a
   * folder the first time this adapter writes there, once older than this. They are never
   * listed or read in the meantime. `0` keeps them. @default 1 hour
   */
  readonly staleTempMs?: number;
}

const MiB = 1024 * 1024;
/** Writes smaller than this are gathered so a stream of tiny chunks does not cost a syscall each. */
const COALESCE_BYTES = 256 * 1024;
/** Copy buffer of the file-to-file copies where the kernel cannot copy (memfs). */
const COPY_BYTES = MiB;
/** Tries of `getToFile` when the object is replaced while it is being copied. */
const COPY_TRIES = 3;
/** Errors of `fsync` that only mean "this file system does not do that". */
const FSYNC_UNSUPPORTED = new Set(["EINVAL", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);

/** Last modification time handed out in single-process mode; strictly increasing (see `#stamp`). */
let lastStampMs = 0;

/**
 * A `Storage` over a POSIX-like file system, used for `file://`, bare paths and `memory://`.
 *
 * Every write goes to a temp file in the target's folder, is fsynced, and is then published
 * with one `rename` (overwrite) or `link` (exclusive create: the link fails if the key exists,
 * so a racer never replaces a winner). Readers keep the inode they opened, so they see the old
 * object or the new one, never a part. Keys are checked before any I/O and resolved paths are
 * checked against the real root, so `..`, absolute keys, NUL bytes and symbolic links that lead
 * outside the root are refused with `InvalidKeyError`. On the real disk, local files are copied
 * in and out with `fs.copyFile` (`putFile`/`getToFile` and their sync twins): the kernel moves
 * the bytes.
 */
export class PosixStorage implements Storage, SyncStorage, FileStorage {
  readonly scheme: string;
  readonly capabilities: Capabilities;
  /** The absolute root folder. */
  readonly root: string;
  readonly #fs: PosixFs;
  /**
   * The volume is the real disk (`node:fs`), where local files live too, so `fs.copyFile` can
   * copy between the two; on any other volume (memfs) bytes are copied through a buffer.
   */
  readonly #onDisk: boolean;
  readonly #baseUri: string;
  readonly #fsync: boolean;
  readonly #singleProcess: boolean;
  readonly #chunkSize: number;
  readonly #staleTempMs: number;
  /** Folders already swept for stale temporary files by this adapter (bounded). */
  readonly #swept = new Set<string>();
  #fsyncWorks = true;
  #realRoot: string | undefined;

  constructor(options: PosixStorageOptions) {
    const baseUri = options.baseUri ?? `file://${path.resolve(options.root)}/`.replace(/\/+$/, "/");
    if (typeof options.root !== "string" || !path.isAbsolute(options.root)) {
      throw new InvalidArgumentError(
        baseUri,
        `root must be an absolute path, got ${String(options.root)}`,
      );
    }
    const chunkSize = options.chunkSize ?? MiB;
    if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0) {
      throw new InvalidArgumentError(
        baseUri,
        `chunkSize must be a positive integer, got ${String(chunkSize)}`,
      );
    }
    this.#fs = options.fs;
    this.#onDisk = options.fs.promises === nodeFs.promises;
    this.root = path.resolve(options.root);
    this.scheme = options.scheme ?? "file";
    this.#baseUri = baseUri;
    this.#fsync = options.fsync ?? true;
    this.#singleProcess = options.singleProcess ?? false;
    this.#chunkSize = chunkSize;
    this.#staleTempMs = options.staleTempMs ?? 60 * 60 * 1000;
    this.capabilities = Object.freeze({
      conditionalCreate: true,
      conditionalUpdate: this.#singleProcess,
      rangeRead: true,
      sync: true,
    });
  }

  /** The URI naming `key` in errors. */
  uriOf(key: string): string {
    return `${this.#baseUri}${key}`;
  }

  // ---------------------------------------------------------------- reads

  async head(key: string): Promise<ObjectMeta | null> {
    const uri = this.uriOf(key);
    const file = this.#path(key, uri);
    try {
      const real = await this.#realInside(file, uri);
      const stats = await this.#fs.promises.stat(real);
      return stats.isFile() ? meta(key, stats) : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw posixError(error, uri);
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<Bytes> {
    const uri = this.uriOf(key);
    const { handle, start, end } = await this.#openForRead(key, uri, options);
    try {
      const out = Buffer.allocUnsafe(end - start);
      let filled = 0;
      while (filled < out.length) {
        const { bytesRead } = await handle.read(out, filled, out.length - filled, start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled === out.length ? out : out.subarray(0, filled);
    } catch (error) {
      throw posixError(error, uri);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  async getStream(key: string, options: GetOptions = {}): Promise<AsyncIterable<Bytes>> {
    const uri = this.uriOf(key);
    // Opened now, so a missing key fails here and the stream reads one inode to its end.
    const { handle, start, end } = await this.#openForRead(key, uri, options);
    return readChunks(handle, start, end, this.#chunkSize, uri, options.signal);
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ListEntry> {
    const uri = this.uriOf(prefix);
    if (options.delimiter !== undefined && options.delimiter !== "/") {
      throw new InvalidArgumentError(
        uri,
        `the only delimiter supported is "/", got ${JSON.stringify(options.delimiter)}`,
      );
    }
    const segments = posixKeySegments(prefix, uri, { allowEmpty: true });
    const endsAtFolder = prefix === "" || prefix.endsWith("/");
    const dirSegments = endsAtFolder ? segments : segments.slice(0, -1);
    const namePrefix = endsAtFolder ? "" : (segments[segments.length - 1] ?? "");
    const dir = path.join(this.root, ...dirSegments);
    const keyBase = dirSegments.length ? `${dirSegments.join("/")}/` : "";
    let realDir: string;
    try {
      realDir = await this.#realInside(dir, uri);
    } catch (error) {
      if (isMissing(error)) return;
      throw posixError(error, uri);
    }
    yield* this.#walk(realDir, keyBase, namePrefix, options.delimiter === "/", uri);
  }

  // ---------------------------------------------------------------- writes

  async put(key: string, body: Bytes | string, options: PutOptions = {}): Promise<ObjectMeta> {
    const uri = this.uriOf(key);
    const bytes = bodyBytes(body, uri);
    return this.#writeAtomic(key, uri, options, async (handle) => {
      await writeAll(handle, bytes);
    });
  }

  async putStream(
    key: string,
    body: AsyncIterable<Bytes>,
    options: PutStreamOptions = {},
  ): Promise<ObjectMeta> {
    const uri = this.uriOf(key);
    if (options.size !== undefined && (!Number.isSafeInteger(options.size) || options.size < 0)) {
      throw new InvalidArgumentError(
        uri,
        `size must be a non-negative integer, got ${String(options.size)}`,
      );
    }
    const chunks = bodyChunks(body, uri);
    return this.#writeAtomic(key, uri, options, async (handle) => {
      const pending = Buffer.allocUnsafe(COALESCE_BYTES);
      let filled = 0;
      let total = 0;
      for await (const chunk of chunks) {
        options.signal?.throwIfAborted();
        total += chunk.length;
        if (filled + chunk.length > pending.length && filled > 0) {
          await writeAll(handle, pending.subarray(0, filled));
          filled = 0;
        }
        if (chunk.length >= pending.length) {
          await writeAll(handle, chunk);
        } else {
          pending.set(chunk, filled);
          filled += chunk.length;
        }
      }
      if (filled > 0) await writeAll(handle, pending.subarray(0, filled));
      if (options.size !== undefined && total !== options.size) {
        throw new InvalidArgumentError(
          uri,
          `the stream gave ${total} bytes but size said ${options.size}`,
        );
      }
    });
  }

  async putFile(key: string, localPath: string, options: PutFileOptions = {}): Promise<ObjectMeta> {
    const uri = this.uriOf(key);
    const local = localPathOf(localPath, uri);
    const localUri = `file://${path.resolve(local)}`;
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
      return await this.#writeAtomic(key, uri, options, async (handle, tmp) => {
        const { onData, signal } = options;
        if (!this.#onDisk) {
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
        const flushing = this.#fsync && this.#fsyncWorks ? flushWhile(copy, handle) : undefined;
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

  async getToFile(
    key: string,
    localPath: string,
    options: GetToFileOptions = {},
  ): Promise<ObjectMeta> {
    const uri = this.uriOf(key);
    const target = path.resolve(localPathOf(localPath, uri));
    // With `onData`, which has seen the replaced version's bytes, the caller must start over.
    const tries = options.onData ? 1 : COPY_TRIES;
    for (let attempt = 1; ; attempt++) {
      const copied = await this.#getToFileOnce(key, uri, target, options);
      if (copied !== undefined) return copied;
      if (attempt >= tries) throw replacedWhileCopying(uri, attempt);
    }
  }

  async delete(key: string): Promise<void> {
    const uri = this.uriOf(key);
    const file = this.#path(key, uri);
    try {
      const parent = await this.#realInside(path.dirname(file), uri);
      await this.#fs.promises.unlink(path.join(parent, path.basename(file)));
    } catch (error) {
      // Missing (or a folder, which is no object either): deleting is idempotent.
      if (isMissing(error) || errnoCode(error) === "EISDIR") return;
      throw posixError(error, uri);
    }
  }

  // ---------------------------------------------------------------- sync twins

  headSync(key: string): ObjectMeta | null {
    const uri = this.uriOf(key);
    const file = this.#path(key, uri);
    try {
      const stats = this.#fs.statSync(this.#realInsideSync(file, uri));
      return stats.isFile() ? meta(key, stats) : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw posixError(error, uri);
    }
  }

  getSync(key: string): Bytes {
    const uri = this.uriOf(key);
    const fd = this.#openForReadSync(key, uri);
    try {
      const size = this.#fs.fstatSync(fd).size;
      const out = Buffer.allocUnsafe(size);
      let filled = 0;
      while (filled < size) {
        const n = this.#fs.readSync(fd, out, filled, size - filled, filled);
        if (n === 0) break;
        filled += n;
      }
      return filled === size ? out : out.subarray(0, filled);
    } catch (error) {
      throw posixError(error, uri);
    } finally {
      this.#fs.closeSync(fd);
    }
  }

  getToFileSync(key: string, localPath: string): ObjectMeta {
    const uri = this.uriOf(key);
    const target = path.resolve(localPathOf(localPath, uri));
    for (let attempt = 1; ; attempt++) {
      const copied = this.#getToFileOnceSync(key, uri, target);
      if (copied !== undefined) return copied;
      if (attempt >= COPY_TRIES) throw replacedWhileCopying(uri, attempt);
    }
  }

  putSync(key: string, body: Bytes | string, options: Pick<PutOptions, "mode"> = {}): ObjectMeta {
    const uri = this.uriOf(key);
    const bytes = bodyBytes(body, uri);
    return this.#writeAtomicSync(key, uri, options, (fd) =>
      writeAllSync(this.#fs.writeSync, fd, bytes),
    );
  }

  putFileSync(key: string, localPath: string, options: Pick<PutOptions, "mode"> = {}): ObjectMeta {
    const uri = this.uriOf(key);
    const local = localPathOf(localPath, uri);
    let input: number;
    try {
      input = nodeFs.openSync(local, "r");
    } catch (error) {
      throw posixError(error, `file://${path.resolve(local)}`);
    }
    try {
      return this.#writeAtomicSync(key, uri, options, (fd, tmp) => {
        if (this.#onDisk) {
          const before = nodeFs.fstatSync(input);
          copyIntoSync(local, tmp, fd);
          if (!sameLocalVersion(before, nodeFs.statSync(local))) {
            throw new InvalidArgumentError(
              `file://${path.resolve(local)}`,
              "the local file changed while it was being copied",
            );
          }
          return;
        }
        const buffer = Buffer.allocUnsafe(COPY_BYTES);
        let position = 0;
        for (;;) {
          const n = nodeFs.readSync(input, buffer, 0, buffer.length, position);
          if (n === 0) break;
          writeAllSync(this.#fs.writeSync, fd, buffer.subarray(0, n));
          position += n;
        }
      });
    } finally {
      nodeFs.closeSync(input);
    }
  }

  deleteSync(key: string): void {
    const uri = this.uriOf(key);
    const file = this.#path(key, uri);
    try {
      const parent = this.#realInsideSync(path.dirname(file), uri);
      this.#fs.unlinkSync(path.join(parent, path.basename(file)));
    } catch (error) {
      if (isMissing(error) || errnoCode(error) === "EISDIR") return;
      throw posixError(error, uri);
    }
  }

  // ---------------------------------------------------------------- internals

  /**
   * One try of `getToFile`: the object is opened (which pins its version), copied to a temp
   * file beside `target` and renamed over it. `undefined` when the object was replaced while
   * `fs.copyFile` (which opens it again by path) copied it, so the copy may be of another version.
   */
  async #getToFileOnce(
    key: string,
    uri: string,
    target: string,
    { signal, onData }: GetToFileOptions,
  ): Promise<ObjectMeta | undefined> {
    const { handle, start, end } = await this.#openForRead(key, uri, signal ? { signal } : {});
    // The local file is on the real disk whatever volume this storage is on; it is written
    // beside its final name and renamed, so a crash never leaves a half-copied file there.
    const tmp = path.join(path.dirname(target), tempName());
    let out: nodeFs.promises.FileHandle | undefined;
    let renamed = false;
    try {
      const stats = await handle.stat();
      out = await nodeFs.promises.open(tmp, "wx", 0o666);
      if (this.#onDisk) {
        const source = await this.#realInside(this.#path(key, uri), uri);
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
          let written = 0;
          while (written < bytesRead) {
            written += (await out.write(buffer, written, bytesRead - written)).bytesWritten;
          }
          position += bytesRead;
        }
      }
      await out.close();
      out = undefined;
      signal?.throwIfAborted();
      await nodeFs.promises.rename(tmp, target);
      renamed = true;
      return meta(key, stats);
    } catch (error) {
      throw posixError(error, uri);
    } finally {
      if (out !== undefined) await out.close().catch(() => undefined);
      if (!renamed) await nodeFs.promises.unlink(tmp).catch(() => undefined);
      await handle.close().catch(() => undefined);
    }
  }

  /** The blocking twin of `#getToFileOnce`. */
  #getToFileOnceSync(key: string, uri: string, target: string): ObjectMeta | undefined {
    const fd = this.#openForReadSync(key, uri);
    const tmp = path.join(path.dirname(target), tempName());
    let out: number | undefined;
    let renamed = false;
    try {
      const stats = this.#fs.fstatSync(fd);
      out = nodeFs.openSync(tmp, "wx", 0o666);
      if (this.#onDisk) {
        const source = this.#realInsideSync(this.#path(key, uri), uri);
        copyIntoSync(source, tmp, out);
        if (etagOf(nodeFs.statSync(source)) !== etagOf(stats)) return undefined;
      } else {
        const buffer = Buffer.allocUnsafe(Math.min(COPY_BYTES, Math.max(stats.size, 1)));
        for (let position = 0; ;) {
          const n = this.#fs.readSync(fd, buffer, 0, buffer.length, position);
          if (n === 0) break;
          writeAllSync(nodeFs.writeSync, out, buffer.subarray(0, n));
          position += n;
        }
      }
      nodeFs.closeSync(out);
      out = undefined;
      nodeFs.renameSync(tmp, target);
      renamed = true;
      return meta(key, stats);
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
      this.#fs.closeSync(fd);
    }
  }

  /** The path of `key` under the root, after checking the key's syntax (no I/O). */
  #path(key: string, uri: string): string {
    return path.join(this.root, ...posixKeySegments(key, uri));
  }

  #checkInside(real: string, realRoot: string, uri: string): void {
    if (
      real !== realRoot &&
      !real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep)
    ) {
      throw new InvalidKeyError(
        uri,
        "it resolves outside the storage root through a symbolic link",
      );
    }
  }

  /** Resolves `target` (which must exist) through symbolic links and refuses it if it leaves the root. */
  async #realInside(target: string, uri: string): Promise<string> {
    this.#realRoot ??= await this.#fs.promises.realpath(this.root);
    const real = await this.#fs.promises.realpath(target);
    this.#checkInside(real, this.#realRoot, uri);
    return real;
  }

  #realInsideSync(target: string, uri: string): string {
    this.#realRoot ??= this.#fs.realpathSync(this.root);
    const real = this.#fs.realpathSync(target);
    this.#checkInside(real, this.#realRoot, uri);
    return real;
  }

  async #openForRead(
    key: string,
    uri: string,
    options: GetOptions,
  ): Promise<{ handle: PosixFileHandle; start: number; end: number }> {
    const file = this.#path(key, uri);
    options.signal?.throwIfAborted();
    // Opened while the real path is checked, not after: it saves a round trip per read. A
    // handle whose path leads outside the root is closed unread.
    const [opened, checked] = await Promise.allSettled([
      this.#fs.promises.open(file, "r"),
      this.#realInside(file, uri),
    ]);
    if (opened.status === "rejected" || checked.status === "rejected") {
      if (opened.status === "fulfilled") await opened.value.close().catch(() => undefined);
      const error: unknown =
        checked.status === "rejected" ? checked.reason : (opened as PromiseRejectedResult).reason;
      throw isMissing(error) ? new NotFoundError(uri, { cause: error }) : posixError(error, uri);
    }
    const handle = opened.value;
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) throw new NotFoundError(uri);
      const { start, end } = normalizeRange(options.range, stats.size, uri);
      return { handle, start, end };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw posixError(error, uri);
    }
  }

  #openForReadSync(key: string, uri: string): number {
    const file = this.#path(key, uri);
    let fd: number;
    try {
      fd = this.#fs.openSync(this.#realInsideSync(file, uri), "r");
    } catch (error) {
      throw isMissing(error) ? new NotFoundError(uri, { cause: error }) : posixError(error, uri);
    }
    try {
      if (!this.#fs.fstatSync(fd).isFile()) throw new NotFoundError(uri);
      return fd;
    } catch (error) {
      this.#fs.closeSync(fd);
      throw posixError(error, uri);
    }
  }

  #checkMode(mode: NormalizedPutMode, uri: string): void {
    if (mode.kind === "ifMatch" && !this.#singleProcess) {
      throw new UnsupportedError(
        uri,
        "compare-and-swap ({ ifMatch }) on a shared file system: other processes could write between the check and the rename",
      );
    }
  }

  /**
   * The folder `file` goes in, created if needed, after checking that the deepest part of it
   * that already exists lies inside the root (so `mkdir` never follows a link out).
   */
  async #prepareParent(file: string, uri: string): Promise<string> {
    if (this.#realRoot === undefined) {
      await this.#fs.promises.mkdir(this.root, { recursive: true }).catch((error: unknown) => {
        throw posixError(error, uri);
      });
    }
    const dir = path.dirname(file);
    let existing = dir;
    for (;;) {
      try {
        const real = await this.#realInside(existing, uri);
        if (existing === dir) return real;
        break;
      } catch (error) {
        if (errnoCode(error) === "ENOTDIR") throw parentIsObject(uri, error);
        if (errnoCode(error) !== "ENOENT" || existing === path.dirname(existing))
          throw posixError(error, uri);
        existing = path.dirname(existing);
      }
    }
    try {
      await this.#fs.promises.mkdir(dir, { recursive: true });
      return await this.#realInside(dir, uri);
    } catch (error) {
      if (errnoCode(error) === "EEXIST" || errnoCode(error) === "ENOTDIR")
        throw parentIsObject(uri, error);
      throw posixError(error, uri);
    }
  }

  #prepareParentSync(file: string, uri: string): string {
    if (this.#realRoot === undefined) {
      try {
        this.#fs.mkdirSync(this.root, { recursive: true });
      } catch (error) {
        throw posixError(error, uri);
      }
    }
    const dir = path.dirname(file);
    let existing = dir;
    for (;;) {
      try {
        const real = this.#realInsideSync(existing, uri);
        if (existing === dir) return real;
        break;
      } catch (error) {
        if (errnoCode(error) === "ENOTDIR") throw parentIsObject(uri, error);
        if (errnoCode(error) !== "ENOENT" || existing === path.dirname(existing))
          throw posixError(error, uri);
        existing = path.dirname(existing);
      }
    }
    try {
      this.#fs.mkdirSync(dir, { recursive: true });
      return this.#realInsideSync(dir, uri);
    } catch (error) {
      if (errnoCode(error) === "EEXIST" || errnoCode(error) === "ENOTDIR")
        throw parentIsObject(uri, error);
      throw posixError(error, uri);
    }
  }

  /**
   * Removes the temporary files of writes that died (SIGKILL mid-write) from `dir`, once per
   * folder and adapter. Only files older than `staleTempMs`: a live writer in another process
   * touches its file with every chunk. Best effort: a failure here never fails the write.
   */
  async #sweepOnce(dir: string): Promise<void> {
    if (this.#staleTempMs <= 0 || this.#swept.has(dir)) return;
    if (this.#swept.size >= 10_000) this.#swept.clear();
    this.#swept.add(dir);
    const cutoff = Date.now() - this.#staleTempMs;
    try {
      for (const entry of await this.#fs.promises.readdir(dir, { withFileTypes: true })) {
        const name =
          typeof entry.name === "string" ? entry.name : Buffer.from(entry.name).toString();
        if (!name.startsWith(TEMP_PREFIX) || !entry.isFile()) continue;
        const temp = path.join(dir, name);
        const stats = await this.#fs.promises.stat(temp).catch(() => undefined);
        if (stats !== undefined && stats.mtimeMs < cutoff) {
          await this.#fs.promises.unlink(temp).catch(() => undefined);
        }
      }
    } catch {
      // The folder is readable by the write that follows or it fails with its own error.
    }
  }

  /** A modification time no other write in this process got, so etags never repeat (no ABA). */
  #stamp(): number {
    lastStampMs = Math.max(Date.now(), lastStampMs + 1);
    return lastStampMs / 1000;
  }

  async #writeAtomic(
    key: string,
    uri: string,
    options: PutOptions,
    fill: (handle: PosixFileHandle, tmp: string) => Promise<void>,
  ): Promise<ObjectMeta> {
    const mode = normalizePutMode(options.mode, uri);
    const file = this.#path(key, uri);
    this.#checkMode(mode, uri);
    options.signal?.throwIfAborted();
    const dir = await this.#prepareParent(file, uri);
    await this.#sweepOnce(dir);
    const final = path.join(dir, path.basename(file));
    const tmp = path.join(dir, tempName());
    let handle: PosixFileHandle | undefined;
    let published = false;
    try {
      handle = await this.#fs.promises.open(tmp, "wx", 0o666);
      await fill(handle, tmp);
      if (this.#fsync && this.#fsyncWorks) {
        try {
          await handle.sync();
        } catch (error) {
          if (!FSYNC_UNSUPPORTED.has(errnoCode(error) ?? "")) throw error;
          this.#fsyncWorks = false;
        }
      }
      if (this.#singleProcess) {
        const stamp = this.#stamp();
        await handle.utimes(stamp, stamp);
      }
      const stats = await handle.stat();
      await handle.close();
      handle = undefined;
      options.signal?.throwIfAborted();
      if (mode.kind === "create") {
        await this.#fs.promises.link(tmp, final).catch((error: unknown) => {
          throw errnoCode(error) === "EEXIST"
            ? new AlreadyExistsError(uri, { cause: error })
            : error;
        });
      } else if (mode.kind === "overwrite") {
        await this.#fs.promises.rename(tmp, final);
        published = true;
      } else {
        this.#publishSync(mode, tmp, final, uri);
        published = true;
      }
      return meta(key, stats);
    } catch (error) {
      throw mapWriteError(error, uri);
    } finally {
      if (handle) await handle.close().catch(() => undefined);
      if (!published) await this.#fs.promises.unlink(tmp).catch(() => undefined);
    }
  }

  #writeAtomicSync(
    key: string,
    uri: string,
    options: Pick<PutOptions, "mode">,
    fill: (fd: number, tmp: string) => void,
  ): ObjectMeta {
    const mode = normalizePutMode(options.mode, uri);
    const file = this.#path(key, uri);
    this.#checkMode(mode, uri);
    const dir = this.#prepareParentSync(file, uri);
    const final = path.join(dir, path.basename(file));
    const tmp = path.join(dir, tempName());
    let fd: number | undefined;
    let published = false;
    try {
      fd = this.#fs.openSync(tmp, "wx", 0o666);
      fill(fd, tmp);
      if (this.#fsync && this.#fsyncWorks) {
        try {
          this.#fs.fsyncSync(fd);
        } catch (error) {
          if (!FSYNC_UNSUPPORTED.has(errnoCode(error) ?? "")) throw error;
          this.#fsyncWorks = false;
        }
      }
      if (this.#singleProcess) {
        const stamp = this.#stamp();
        this.#fs.futimesSync(fd, stamp, stamp);
      }
      const stats = this.#fs.fstatSync(fd);
      this.#fs.closeSync(fd);
      fd = undefined;
      if (mode.kind === "create") {
        try {
          this.#fs.linkSync(tmp, final);
        } catch (error) {
          throw errnoCode(error) === "EEXIST"
            ? new AlreadyExistsError(uri, { cause: error })
            : error;
        }
      } else {
        this.#publishSync(mode, tmp, final, uri);
        published = true;
      }
      return meta(key, stats);
    } catch (error) {
      throw mapWriteError(error, uri);
    } finally {
      if (fd !== undefined) this.#fs.closeSync(fd);
      if (!published) {
        try {
          this.#fs.unlinkSync(tmp);
        } catch {
          // never created, or already gone
        }
      }
    }
  }

  /**
   * Publishes with a rename; for `{ ifMatch }` the etag check and the rename run synchronously
   * in one step, which on a single-process volume nothing can interleave with.
   */
  #publishSync(mode: NormalizedPutMode, tmp: string, final: string, uri: string): void {
    if (mode.kind === "ifMatch") {
      let current: PosixStats | undefined;
      try {
        current = this.#fs.statSync(final);
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
      if (!current?.isFile() || etagOf(current) !== mode.etag)
        throw new PreconditionFailedError(uri);
    }
    this.#fs.renameSync(tmp, final);
  }

  async *#walk(
    dir: string,
    keyBase: string,
    namePrefix: string,
    fold: boolean,
    uri: string,
  ): AsyncIterable<ListEntry> {
    let entries;
    try {
      entries = await this.#fs.promises.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw posixError(error, uri);
    }
    // Sorting folders as "name/" gives the same order as sorting the full keys would.
    const named = entries
      .map((entry) => ({ entry, name: String(entry.name) }))
      .filter(({ name }) => name.startsWith(namePrefix) && !name.startsWith(TEMP_PREFIX))
      .map((item) => ({ ...item, sortKey: item.entry.isDirectory() ? `${item.name}/` : item.name }))
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const { entry, name } of named) {
      const full = path.join(dir, name);
      const key = keyBase + name;
      if (entry.isDirectory()) {
        if (!fold) yield* this.#walk(full, `${key}/`, "", false, uri);
        else if (await this.#holdsObject(full)) yield { prefix: `${key}/` };
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        // Links are listed only when they lead to a file inside the root, as reads allow.
        try {
          const real = await this.#realInside(full, uri);
          const stats = await this.#fs.promises.stat(real);
          if (stats.isFile()) yield meta(key, stats);
        } catch (error) {
          if (!isMissing(error) && !(error instanceof InvalidKeyError))
            throw posixError(error, uri);
        }
      }
    }
  }

  /** Whether a folder holds an object anywhere below it (empty folders are not listed). */
  async #holdsObject(dir: string): Promise<boolean> {
    let entries;
    try {
      entries = await this.#fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const entry of entries) {
      const name = String(entry.name);
      if (name.startsWith(TEMP_PREFIX)) continue;
      if (entry.isFile() || entry.isSymbolicLink()) return true;
      if (entry.isDirectory() && (await this.#holdsObject(path.join(dir, name)))) return true;
    }
    return false;
  }
}

/** The etag of a file: its inode, size and modification time, all of which a new write changes. */
function etagOf(stats: PosixStats): string {
  return `${stats.ino.toString(36)}-${stats.size.toString(36)}-${Math.round(stats.mtimeMs * 1000).toString(36)}`;
}

function meta(key: string, stats: PosixStats): ObjectMeta {
  return { key, size: stats.size, etag: etagOf(stats), lastModified: stats.mtime };
}

function tempName(): string {
  return `${TEMP_PREFIX}${randomBytes(8).toString("hex")}`;
}

function isMissing(error: unknown): boolean {
  const code = errnoCode(error);
  return code === "ENOENT" || code === "ENOTDIR" || error instanceof NotFoundError;
}

function parentIsObject(uri: string, cause: unknown): InvalidKeyError {
  return new InvalidKeyError(
    uri,
    "a parent of the key is an object; a file system cannot hold both",
    { cause },
  );
}

function mapWriteError(error: unknown, uri: string): unknown {
  const code = errnoCode(error);
  if (code === "EISDIR") return new InvalidKeyError(uri, "it names a folder", { cause: error });
  if (code === "ENOTDIR") return parentIsObject(uri, error);
  // ENOENT while writing means the folder vanished under us, not that the object is missing.
  if (code === "ENOENT")
    return new TransientError(uri, "the folder was removed while writing", { cause: error });
  return posixError(error, uri);
}

async function writeAll(handle: PosixFileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, null);
    offset += bytesWritten;
  }
}

function writeAllSync(
  writeSync: (
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position?: number | null,
  ) => number,
  fd: number,
  bytes: Uint8Array,
): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset, null);
}

async function* readChunks(
  handle: PosixFileHandle,
  start: number,
  end: number,
  chunkSize: number,
  uri: string,
  signal: AbortSignal | undefined,
): AsyncIterable<Bytes> {
  try {
    let position = start;
    while (position < end) {
      signal?.throwIfAborted();
      const want = Math.min(chunkSize, end - position);
      // A fresh buffer per chunk: the consumer may keep it after asking for the next one.
      const buffer = Buffer.allocUnsafe(want);
      const { bytesRead } = await handle.read(buffer, 0, want, position).catch((error: unknown) => {
        throw posixError(error, uri);
      });
      if (bytesRead === 0) break;
      position += bytesRead;
      yield bytesRead === want ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}
