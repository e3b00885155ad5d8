import path from "node:path";

import type { ObjectMeta, PutOptions } from "../Storage.js";
import { UnsupportedError } from "../errors.js";
import { abortOr } from "../internal/abort.js";
import type { NormalizedPutMode } from "../internal/normalizePutMode.js";
import { normalizePutMode } from "../internal/normalizePutMode.js";
import type { PosixFileHandle, PosixFs } from "./PosixFs.js";
import type { PosixRoot } from "./PosixRoot.js";
import type { StaleTempSweeper } from "./StaleTempSweeper.js";
import { errnoCode } from "./posixError.js";
import { TEMP_PREFIX } from "./posixKey.js";
import { nextStamp, posixMeta } from "./posixMeta.js";
import { mapWriteError } from "./posixWriteError.js";
import { publish, publishSync } from "./publish.js";

/** Errors of `fsync` that only mean "this file system does not do that". */
const FSYNC_UNSUPPORTED = new Set(["EINVAL", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);

/** What {@link AtomicWriter} is built from. */
export interface AtomicWriterOptions {
  readonly fs: PosixFs;
  readonly root: PosixRoot;
  readonly sweeper: StaleTempSweeper;
  /** fsync each temp file before publishing it. */
  readonly fsync: boolean;
  /** The volume is reachable from this process only (memfs); see `PosixStorageOptions`. */
  readonly singleProcess: boolean;
}

/** A fresh temp-file name, which no key may take (`posixKeySegments` refuses the prefix). */
export function tempName(): string {
  // `node:crypto` is loaded on first use, not at import: keeps import("@flyte/sdk") light.
  return `${TEMP_PREFIX}${process.getBuiltinModule("node:crypto").randomBytes(8).toString("hex")}`;
}

/**
 * The posix adapter's writes: every write goes to a temp file in the target's folder, is
 * filled, fsynced and then published (see `publish.ts`), so readers see the old object or the
 * new one, never a part. A write that fails or is aborted removes its temp file.
 */
export class AtomicWriter {
  readonly #fs: PosixFs;
  readonly #root: PosixRoot;
  readonly #sweeper: StaleTempSweeper;
  readonly #fsync: boolean;
  readonly #singleProcess: boolean;
  /** Cleared the first time the file system says it cannot fsync. */
  #fsyncWorks = true;

  constructor(options: AtomicWriterOptions) {
    this.#fs = options.fs;
    this.#root = options.root;
    this.#sweeper = options.sweeper;
    this.#fsync = options.fsync;
    this.#singleProcess = options.singleProcess;
  }

  /** Whether temp files are fsynced before they are published (and the file system can). */
  get syncsData(): boolean {
    return this.#fsync && this.#fsyncWorks;
  }

  /**
   * Writes `key` atomically: `fill` writes the content into the open temp file `tmp`; the file
   * is then fsynced and published per `options.mode`. `options.signal` is checked before the
   * temp file is made and again before publishing.
   */
  async write(
    key: string,
    uri: string,
    options: PutOptions,
    fill: (handle: PosixFileHandle, tmp: string) => Promise<void>,
  ): Promise<ObjectMeta> {
    const { signal } = options;
    const mode = normalizePutMode(options.mode, uri);
    const file = this.#root.pathOf(key, uri);
    this.#checkMode(mode, uri);
    signal?.throwIfAborted();
    const dir = await this.#root.prepareParent(file, uri);
    await this.#sweeper.sweepOnce(dir);
    const final = path.join(dir, path.basename(file));
    const tmp = path.join(dir, tempName());
    let handle: PosixFileHandle | undefined;
    let tmpGone = false;
    try {
      handle = await this.#fs.promises.open(tmp, "wx", 0o666);
      await fill(handle, tmp);
      if (this.syncsData) {
        try {
          await handle.sync();
        } catch (error) {
          this.#fsyncFailed(error);
        }
      }
      if (this.#singleProcess) {
        const stamp = nextStamp();
        await handle.utimes(stamp, stamp);
      }
      const stats = await handle.stat();
      await handle.close();
      handle = undefined;
      signal?.throwIfAborted();
      tmpGone = this.#singleProcess
        ? publishSync(this.#fs, mode, tmp, final, uri, true)
        : await publish(this.#fs, mode, tmp, final, uri);
      return posixMeta(key, stats);
    } catch (error) {
      throw abortOr(signal, mapWriteError(error, uri));
    } finally {
      if (handle) await handle.close().catch(() => undefined);
      if (!tmpGone) await this.#fs.promises.unlink(tmp).catch(() => undefined);
    }
  }

  /** The blocking twin of {@link write}; `fill` writes through the open file descriptor `fd`. */
  writeSync(
    key: string,
    uri: string,
    options: Pick<PutOptions, "mode">,
    fill: (fd: number, tmp: string) => void,
  ): ObjectMeta {
    const mode = normalizePutMode(options.mode, uri);
    const file = this.#root.pathOf(key, uri);
    this.#checkMode(mode, uri);
    const dir = this.#root.prepareParentSync(file, uri);
    const final = path.join(dir, path.basename(file));
    const tmp = path.join(dir, tempName());
    let fd: number | undefined;
    let tmpGone = false;
    try {
      fd = this.#fs.openSync(tmp, "wx", 0o666);
      fill(fd, tmp);
      if (this.syncsData) {
        try {
          this.#fs.fsyncSync(fd);
        } catch (error) {
          this.#fsyncFailed(error);
        }
      }
      if (this.#singleProcess) {
        const stamp = nextStamp();
        this.#fs.futimesSync(fd, stamp, stamp);
      }
      const stats = this.#fs.fstatSync(fd);
      this.#fs.closeSync(fd);
      fd = undefined;
      tmpGone = publishSync(this.#fs, mode, tmp, final, uri, this.#singleProcess);
      return posixMeta(key, stats);
    } catch (error) {
      throw mapWriteError(error, uri);
    } finally {
      if (fd !== undefined) this.#fs.closeSync(fd);
      if (!tmpGone) {
        try {
          this.#fs.unlinkSync(tmp);
        } catch {
          // never created, or already gone
        }
      }
    }
  }

  /** `{ ifMatch }` is honoured only where the check and the rename cannot be interleaved. */
  #checkMode(mode: NormalizedPutMode, uri: string): void {
    if (mode.kind === "ifMatch" && !this.#singleProcess) {
      throw new UnsupportedError(
        uri,
        "compare-and-swap ({ ifMatch }) on a shared file system: other processes could write between the check and the rename",
      );
    }
  }

  #fsyncFailed(error: unknown): void {
    if (!FSYNC_UNSUPPORTED.has(errnoCode(error) ?? "")) throw error;
    this.#fsyncWorks = false;
  }
}
