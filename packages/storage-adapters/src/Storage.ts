/**
 * The one interface every storage backend implements. Small and capability-aware, in the shape
 * of obstore / object_store: a backend says what it can do, and refuses (never fakes) the rest.
 */

/** Bytes as every adapter takes and returns them. */
export type Bytes = Uint8Array;

/** What a `head`, `put` or `list` tells about one stored object. */
export interface ObjectMeta {
  /** The key inside the adapter (no scheme, no bucket). */
  readonly key: string;
  /** Size in bytes. */
  readonly size: number;
  /** An opaque version tag usable with `{ ifMatch }`; absent where the backend has none. */
  readonly etag?: string;
  /** When the object was last written, where the backend knows it. */
  readonly lastModified?: Date;
}

/**
 * How a `put` treats an object that already exists.
 * - `"overwrite"`: replace it (the default);
 * - `"create"`: exclusive create, fails with `AlreadyExistsError` if the key exists;
 * - `{ ifMatch }`: compare-and-swap, fails with `PreconditionFailedError` unless the stored etag matches.
 */
export type PutMode = "overwrite" | "create" | { readonly ifMatch: string };

/**
 * What every operation takes. An operation whose `signal` is aborted (before it starts, or
 * while it runs) rejects with the signal's `reason`, unchanged (as `signal.throwIfAborted()`
 * throws it: an `AbortError` `DOMException` unless the caller gave a reason of its own), and
 * is never retried. A write stopped so publishes nothing (readers see the old object, or
 * none) and leaves no temporary file or unfinished upload behind; a stream stopped so ends
 * with the reason at its next chunk. The blocking twins take no signal: nothing can abort a
 * thread that is blocked.
 */
export interface OperationOptions {
  /** Cancels the operation; see {@link OperationOptions}. */
  readonly signal?: AbortSignal;
}

/** Options of `head`. */
export type HeadOptions = OperationOptions;

/** Options of `delete`. */
export type DeleteOptions = OperationOptions;

/** Options of `put` and `putStream`. */
export interface PutOptions extends OperationOptions {
  /** @default "overwrite" */
  readonly mode?: PutMode;
  /** MIME type, where the backend stores one. */
  readonly contentType?: string;
}

/** Options of `putStream`. */
export interface PutStreamOptions extends PutOptions {
  /** The total size, when known; streams of unknown length are accepted too. */
  readonly size?: number;
}

/** What the local-file copies of {@link FileStorage} share. */
export interface FileCopyOptions {
  /**
   * Sees every byte that was copied, in order, exactly once, as the copy runs; each chunk is
   * valid only during the call (the buffer is reused). Where the kernel copies, the bytes are
   * read alongside from the same opened file (a page-cache read), so a caller can checksum
   * what was copied without a second pass. A throw aborts the copy.
   */
  readonly onData?: (chunk: Bytes) => void;
}

/** Options of `putFile`. */
export interface PutFileOptions extends PutOptions, FileCopyOptions {}

/** Options of `getToFile`. */
export interface GetToFileOptions extends FileCopyOptions, OperationOptions {}

/** Options of `get` and `getStream`. */
export interface GetOptions extends OperationOptions {
  /**
   * Byte range `[start, endExclusive)`; needs `capabilities.rangeRead`. An `end` past the object's
   * size is clamped to it (as HTTP ranges are); `start > end` or negative bounds are refused.
   */
  readonly range?: readonly [start: number, end: number];
}

/** Options of `list`. */
export interface ListOptions extends OperationOptions {
  /** With `"/"`, keys below the next `/` after the prefix are folded into one `{ prefix }` entry. */
  readonly delimiter?: "/";
}

/** One entry of `list`: an object, or a common prefix when a delimiter is given. */
export type ListEntry = ObjectMeta | { readonly prefix: string };

/** What a backend can honour. A mode it cannot honour throws `UnsupportedError`. */
export interface Capabilities {
  /** `put(..., { mode: "create" })` is exclusive. */
  readonly conditionalCreate: boolean;
  /** `put(..., { mode: { ifMatch } })` is a real compare-and-swap. */
  readonly conditionalUpdate: boolean;
  /** `get`/`getStream` honour `range`. */
  readonly rangeRead: boolean;
  /** `getSync`/`putSync`/`headSync` exist natively (memory, disk); remote adapters reach them through a worker bridge. */
  readonly sync: boolean;
}

/** A storage backend. Keys are `/`-separated and relative to the adapter's root, bucket or container. */
export interface Storage {
  /** The URI scheme this adapter serves (`memory`, `file`, `s3`, `abfs`, ...). */
  readonly scheme: string;
  readonly capabilities: Capabilities;
  /** Metadata of `key`, or `null` when it does not exist. */
  head(key: string, options?: HeadOptions): Promise<ObjectMeta | null>;
  /** The whole object; throws `NotFoundError` when missing. */
  get(key: string, options?: GetOptions): Promise<Bytes>;
  /** The object as a stream of chunks; throws `NotFoundError` when missing (before the first chunk). */
  getStream(key: string, options?: GetOptions): Promise<AsyncIterable<Bytes>>;
  /** Writes `body` atomically: readers see the old object or the new one, never a part. */
  put(key: string, body: Bytes | string, options?: PutOptions): Promise<ObjectMeta>;
  /** Writes a stream atomically, without holding it whole in memory. */
  putStream(
    key: string,
    body: AsyncIterable<Bytes>,
    options?: PutStreamOptions,
  ): Promise<ObjectMeta>;
  /** Objects whose key starts with `prefix`, in key order. */
  list(prefix: string, options?: ListOptions): AsyncIterable<ListEntry>;
  /** Deletes `key`; deleting a missing key is not an error. */
  delete(key: string, options?: DeleteOptions): Promise<void>;
  /**
   * Checks, before anything runs, that this storage can work: its SDK loads, its names and
   * settings are valid, and with `checkAccess` the bucket or folder can be reached. Throws the
   * typed error a first operation would have thrown (`MissingDependencyError`,
   * `StorageConfigurationError`, `PermissionDeniedError`, ...). Optional: a storage without it
   * is checked as far as resolving its URI goes. `preflightStorage(uri)` calls it.
   */
  preflight?(options?: PreflightCheckOptions): Promise<void>;
  /** Releases clients, workers and sockets. */
  close?(): Promise<void>;
}

/** Options of `Storage.preflight`. */
export interface PreflightCheckOptions extends OperationOptions {
  /**
   * Also reach the backend: one HEAD of the bucket or container (object stores), or a check
   * that the folder can be written (local paths). Off by default: no network access.
   * @default false
   */
  readonly checkAccess?: boolean;
}

/**
 * Copies between an object and a local file, offered by adapters whose objects are files on
 * this machine: the posix adapter has it, copying with `fs.copyFile` on the disk (the kernel
 * moves the bytes, nothing passes through JavaScript) and through one reused buffer on memfs.
 * Remote adapters do not offer it, and callers stream instead ({@link isFileStorage} tells).
 * A caller may therefore read an object of such a storage again (to checksum it while it is
 * copied, say) at the cost of a local read, never of a second download.
 */
export interface FileStorage {
  /**
   * Writes the content of the local file at `localPath` to `key`, with `put`'s atomicity and
   * modes: readers see the old object or the new one, `"create"` never replaces a winner, and a
   * failure (or an abort before publishing) leaves nothing behind. The object gets the mode any
   * new object gets, not the local file's. A local file that cannot be read fails before any
   * write, and one that changes while it is copied fails before publishing (what was copied
   * may be torn), both with an error naming the local file's own `file://` URI.
   */
  putFile(key: string, localPath: string, options?: PutFileOptions): Promise<ObjectMeta>;
  /**
   * Copies the object to the local file `localPath`, which is written beside its final name and
   * renamed into place (replaced whole, never left half-written). Resolves to the metadata of
   * the version that was copied. Throws `NotFoundError` when the object is missing, creating
   * nothing. An object replaced while it is copied is copied again; with `onData`, which has
   * then seen part of the old version, it is a `TransientError` instead (start over).
   */
  getToFile(key: string, localPath: string, options?: GetToFileOptions): Promise<ObjectMeta>;
}

/** Blocking twins of what checkpoints need, usable from synchronous callbacks. */
export interface SyncStorage {
  headSync(key: string): ObjectMeta | null;
  /** The whole object; throws `NotFoundError` when missing. */
  getSync(key: string): Bytes;
  /** Copies the object into a local file without holding it whole in memory. */
  getToFileSync(key: string, localPath: string): ObjectMeta;
  putSync(key: string, body: Bytes | string, options?: Pick<PutOptions, "mode">): ObjectMeta;
  /** Uploads a local file without holding it whole in memory. */
  putFileSync(key: string, localPath: string, options?: Pick<PutOptions, "mode">): ObjectMeta;
  deleteSync(key: string): void;
}
