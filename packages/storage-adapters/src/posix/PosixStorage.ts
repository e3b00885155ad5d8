import nodeFs from "node:fs";
import path from "node:path";

import type {
  Bytes,
  Capabilities,
  DeleteOptions,
  FileStorage,
  GetOptions,
  GetToFileOptions,
  HeadOptions,
  ListEntry,
  ListOptions,
  ObjectMeta,
  PreflightCheckOptions,
  PutFileOptions,
  PutOptions,
  PutStreamOptions,
  Storage,
  SyncStorage,
} from "../Storage.js";
import { InvalidArgumentError } from "../errors.js";
import { abortableChunks, abortOr } from "../internal/abort.js";
import { bodyBytes, bodyChunks } from "../internal/bodyBytes.js";
import { AtomicWriter } from "./AtomicWriter.js";
import type { PosixFs } from "./PosixFs.js";
import { PosixRoot } from "./PosixRoot.js";
import type { PosixVolume } from "./PosixVolume.js";
import { StaleTempSweeper } from "./StaleTempSweeper.js";
import { getToFile, getToFileSync, putFile, putFileSync } from "./fileCopies.js";
import { checkWritable } from "./checkWritable.js";
import { errnoCode, posixError } from "./posixError.js";
import { listPosix } from "./posixList.js";
import { posixMeta } from "./posixMeta.js";
import {
  openForRead,
  openForReadSync,
  readChunks,
  readOpened,
  readWholeSync,
} from "./posixRead.js";
import { isMissing } from "./posixWriteError.js";
import { writeAll, writeAllSync } from "./writeAll.js";

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
   * `{ ifMatch }` is supported; and an overwrite unlinks the old object in that same step
   * before renaming over it, which memfs needs to free the old version's memory. On a shared
   * disk other processes could interleave, so `{ ifMatch }` is refused there.
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
 *
 * The parts live in files of their own, each given this adapter's {@link PosixVolume}: key
 * mapping (`PosixRoot`), writes (`AtomicWriter`, `publish`), the stale-temp sweep, reads,
 * listing and the local-file copies.
 */
export class PosixStorage implements Storage, SyncStorage, FileStorage {
  readonly scheme: string;
  readonly capabilities: Capabilities;
  /** The absolute root folder. */
  readonly root: string;
  readonly #volume: PosixVolume;
  /** A volume in this process's memory (memfs): reads and writes take the blocking twins. */
  readonly #inMemory: boolean;

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
    const fs = options.fs;
    const singleProcess = options.singleProcess ?? false;
    this.root = path.resolve(options.root);
    this.scheme = options.scheme ?? "file";
    const root = new PosixRoot(fs, this.root, baseUri);
    this.#volume = {
      fs,
      root,
      writer: new AtomicWriter({
        fs,
        root,
        sweeper: new StaleTempSweeper(fs, options.staleTempMs ?? 60 * 60 * 1000),
        fsync: options.fsync ?? true,
        singleProcess,
      }),
      onDisk: fs.promises === nodeFs.promises,
      chunkSize,
    };
    this.#inMemory = singleProcess && !this.#volume.onDisk;
    this.capabilities = Object.freeze({
      conditionalCreate: true,
      conditionalUpdate: singleProcess,
      rangeRead: true,
      sync: true,
    });
  }

  /** The URI naming `key` in errors. */
  uriOf(key: string): string {
    return this.#volume.root.uriOf(key);
  }

  // ---------------------------------------------------------------- reads

  async head(key: string, options: HeadOptions = {}): Promise<ObjectMeta | null> {
    if (this.#inMemory) {
      // An in-memory volume does no I/O: its blocking twin is the same answer without the
      // promise layer's hops (memfs's promise API costs ~10–40 µs per call).
      options.signal?.throwIfAborted();
      return this.headSync(key);
    }
    const uri = this.uriOf(key);
    const { root, fs } = this.#volume;
    const file = root.pathOf(key, uri);
    options.signal?.throwIfAborted();
    try {
      const stats = await fs.promises.stat(await root.realInside(file, uri));
      options.signal?.throwIfAborted();
      return stats.isFile() ? posixMeta(key, stats) : null;
    } catch (error) {
      if (isMissing(error) && !options.signal?.aborted) return null;
      throw abortOr(options.signal, posixError(error, uri));
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<Bytes> {
    if (this.#inMemory && options.range === undefined) {
      options.signal?.throwIfAborted();
      return this.getSync(key);
    }
    const uri = this.uriOf(key);
    return readOpened(await openForRead(this.#volume, key, uri, options), uri, options.signal);
  }

  async getStream(key: string, options: GetOptions = {}): Promise<AsyncIterable<Bytes>> {
    const uri = this.uriOf(key);
    // Opened now, so a missing key fails here and the stream reads one inode to its end.
    const opened = await openForRead(this.#volume, key, uri, options);
    return readChunks(opened, this.#volume.chunkSize, uri, options.signal);
  }

  list(prefix: string, options: ListOptions = {}): AsyncIterable<ListEntry> {
    return listPosix(this.#volume, prefix, options);
  }

  // ---------------------------------------------------------------- writes

  async put(key: string, body: Bytes | string, options: PutOptions = {}): Promise<ObjectMeta> {
    if (this.#inMemory) {
      options.signal?.throwIfAborted();
      return this.putSync(key, body, options);
    }
    const uri = this.uriOf(key);
    const bytes = bodyBytes(body, uri);
    return this.#volume.writer.write(key, uri, options, (handle) => writeAll(handle, bytes));
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
    const chunks = abortableChunks(bodyChunks(body, uri), options.signal);
    return this.#volume.writer.write(key, uri, options, async (handle) => {
      const pending = Buffer.allocUnsafe(COALESCE_BYTES);
      let filled = 0;
      let total = 0;
      for await (const chunk of chunks) {
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

  putFile(key: string, localPath: string, options: PutFileOptions = {}): Promise<ObjectMeta> {
    return putFile(this.#volume, key, localPath, options);
  }

  getToFile(key: string, localPath: string, options: GetToFileOptions = {}): Promise<ObjectMeta> {
    return getToFile(this.#volume, key, localPath, options);
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<void> {
    const uri = this.uriOf(key);
    const { root, fs } = this.#volume;
    const file = root.pathOf(key, uri);
    options.signal?.throwIfAborted();
    try {
      const parent = await root.realInside(path.dirname(file), uri);
      options.signal?.throwIfAborted();
      await fs.promises.unlink(path.join(parent, path.basename(file)));
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      // Missing (or a folder, which is no object either): deleting is idempotent.
      if (isMissing(error) || errnoCode(error) === "EISDIR") return;
      throw posixError(error, uri);
    }
  }

  /**
   * Checks the storage can work: keys map under an absolute root (always true once built);
   * with `checkAccess`, that the root, or the deepest part of it that exists, is a folder this
   * process can write to.
   */
  async preflight(options: PreflightCheckOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    if (options.checkAccess) await checkWritable(this.#volume, this.uriOf(""));
  }

  // ---------------------------------------------------------------- sync twins

  headSync(key: string): ObjectMeta | null {
    const uri = this.uriOf(key);
    const { root, fs } = this.#volume;
    const file = root.pathOf(key, uri);
    try {
      const stats = fs.statSync(root.realInsideSync(file, uri));
      return stats.isFile() ? posixMeta(key, stats) : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw posixError(error, uri);
    }
  }

  getSync(key: string): Bytes {
    const uri = this.uriOf(key);
    return readWholeSync(this.#volume, openForReadSync(this.#volume, key, uri), uri);
  }

  getToFileSync(key: string, localPath: string): ObjectMeta {
    return getToFileSync(this.#volume, key, localPath);
  }

  putSync(key: string, body: Bytes | string, options: Pick<PutOptions, "mode"> = {}): ObjectMeta {
    const uri = this.uriOf(key);
    const bytes = bodyBytes(body, uri);
    const { writer, fs } = this.#volume;
    return writer.writeSync(key, uri, options, (fd) => writeAllSync(fs.writeSync, fd, bytes));
  }

  putFileSync(key: string, localPath: string, options: Pick<PutOptions, "mode"> = {}): ObjectMeta {
    return putFileSync(this.#volume, key, localPath, options);
  }

  deleteSync(key: string): void {
    const uri = this.uriOf(key);
    const { root, fs } = this.#volume;
    const file = root.pathOf(key, uri);
    try {
      const parent = root.realInsideSync(path.dirname(file), uri);
      fs.unlinkSync(path.join(parent, path.basename(file)));
    } catch (error) {
      if (isMissing(error) || errnoCode(error) === "EISDIR") return;
      throw posixError(error, uri);
    }
  }
}
