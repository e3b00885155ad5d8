import type {
  Bytes,
  Capabilities,
  DeleteOptions,
  GetOptions,
  HeadOptions,
  ListEntry,
  ListOptions,
  ObjectMeta,
  OperationOptions,
  PreflightCheckOptions,
  PutOptions,
  PutStreamOptions,
  Storage,
  SyncStorage,
} from "../Storage.js";
import {
  MissingDependencyError,
  StorageConfigurationError,
  StorageError,
  UnsupportedError,
} from "../errors.js";
import type { MissingPackage } from "../errors.js";
import { raceAbort } from "../internal/abort.js";
import { isSyncStorage } from "../isSyncStorage.js";
import { SyncBridge } from "../sync-bridge/SyncBridge.js";
import type { StorageFactory, StorageLocation, StorageOptions } from "./StorageFactory.js";

/** Where a lazily loaded adapter lives and what it needs installed. */
export interface LazyAdapterSpec {
  /** Loads the adapter module, e.g. `() => import("@flyte/storage-adapters/s3")`. */
  readonly load: () => Promise<unknown>;
  /** The module's name, for messages. */
  readonly module: string;
  /** The name of the {@link StorageFactory} the module exports. */
  readonly factory: string;
  /**
   * Optional peer packages the module imports (names, or names with the supported range); a
   * failure to find one becomes `MissingDependencyError`.
   */
  readonly packages: readonly (string | MissingPackage)[];
  /**
   * The built-in adapter a worker thread can run for blocking calls made before the adapter has
   * loaded here (`Checkpoint.loadSync()` as the first thing a task does): the sync twins never
   * need the async load, because they run in the worker anyway.
   */
  readonly bridge?: "s3" | "azure";
}

const MODULE_NOT_FOUND = new Set(["ERR_MODULE_NOT_FOUND", "MODULE_NOT_FOUND"]);

/**
 * A `Storage` that loads its real adapter on first use (fsspec's `known_implementations`), so
 * `resolveStorage("s3://...")` works with no extra import and the root entry never pulls in a
 * cloud SDK. Until it is loaded, `capabilities` and the sync twins cannot answer: call
 * `await storage.ready()` first (any async operation also loads it).
 */
export class LazyStorage implements Storage, SyncStorage {
  readonly scheme: string;
  readonly location: StorageLocation;
  readonly #spec: LazyAdapterSpec;
  readonly #options: StorageOptions | undefined;
  #loading: Promise<Storage> | undefined;
  #loaded: Storage | undefined;
  #bridge: SyncBridge | undefined;

  constructor(location: StorageLocation, spec: LazyAdapterSpec, options?: StorageOptions) {
    this.scheme = location.scheme;
    this.location = location;
    this.#spec = spec;
    this.#options = options;
  }

  /** Loads the adapter module (once) and builds the real storage. */
  ready(): Promise<Storage> {
    this.#loading ??= this.#load().then(
      (storage) => (this.#loaded = storage),
      (error: unknown) => {
        // Not cached: installing the package and trying again should work.
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }

  /** The loaded adapter, if `ready()` has finished. */
  get loaded(): Storage | undefined {
    return this.#loaded;
  }

  get capabilities(): Capabilities {
    return this.#require("capabilities").capabilities;
  }

  async head(key: string, options?: HeadOptions): Promise<ObjectMeta | null> {
    return (await this.#readyFor(options)).head(key, options);
  }
  async get(key: string, options?: GetOptions): Promise<Bytes> {
    return (await this.#readyFor(options)).get(key, options);
  }
  async getStream(key: string, options?: GetOptions): Promise<AsyncIterable<Bytes>> {
    return (await this.#readyFor(options)).getStream(key, options);
  }
  async put(key: string, body: Bytes | string, options?: PutOptions): Promise<ObjectMeta> {
    return (await this.#readyFor(options)).put(key, body, options);
  }
  async putStream(
    key: string,
    body: AsyncIterable<Bytes>,
    options?: PutStreamOptions,
  ): Promise<ObjectMeta> {
    return (await this.#readyFor(options)).putStream(key, body, options);
  }
  async *list(prefix: string, options?: ListOptions): AsyncIterable<ListEntry> {
    yield* (await this.#readyFor(options)).list(prefix, options);
  }
  async delete(key: string, options?: DeleteOptions): Promise<void> {
    return (await this.#readyFor(options)).delete(key, options);
  }
  /** Loads the adapter (its module and, through its own `preflight`, its SDK) and checks it. */
  async preflight(options?: PreflightCheckOptions): Promise<void> {
    await (await this.#readyFor(options)).preflight?.(options);
  }
  async close(): Promise<void> {
    this.#bridge?.close();
    await this.#loaded?.close?.();
  }

  headSync(key: string): ObjectMeta | null {
    return this.#sync("headSync").headSync(key);
  }
  getSync(key: string): Bytes {
    return this.#sync("getSync").getSync(key);
  }
  getToFileSync(key: string, localPath: string): ObjectMeta {
    return this.#sync("getToFileSync").getToFileSync(key, localPath);
  }
  putSync(key: string, body: Bytes | string, options?: Pick<PutOptions, "mode">): ObjectMeta {
    return this.#sync("putSync").putSync(key, body, options);
  }
  putFileSync(key: string, localPath: string, options?: Pick<PutOptions, "mode">): ObjectMeta {
    return this.#sync("putFileSync").putFileSync(key, localPath, options);
  }
  deleteSync(key: string): void {
    this.#sync("deleteSync").deleteSync(key);
  }

  /** The loaded adapter; an abort stops the wait (the load itself goes on, for the next call). */
  #readyFor(options: OperationOptions | undefined): Promise<Storage> {
    options?.signal?.throwIfAborted();
    return raceAbort(this.ready(), options?.signal);
  }

  #require(what: string): Storage {
    if (this.#loaded === undefined) {
      throw new StorageError(
        "CONFIGURATION",
        this.location.uri,
        `${what} is not available until the ${this.#spec.module} adapter is loaded: await storage.ready() first`,
      );
    }
    return this.#loaded;
  }

  #sync(what: string): SyncStorage {
    if (this.#loaded === undefined && this.#spec.bridge !== undefined) {
      this.#bridge ??= new SyncBridge(
        {
          module: this.#spec.bridge,
          factory: this.#spec.factory,
          location: this.location,
          options: this.#options ?? {},
        },
        this.location.uri,
      );
      return this.#bridge;
    }
    const storage = this.#require(what);
    if (!isSyncStorage(storage))
      throw new UnsupportedError(this.location.uri, `${what} (this adapter has no sync twins)`);
    return storage;
  }

  async #load(): Promise<Storage> {
    const { uri } = this.location;
    let module: unknown;
    try {
      module = await this.#spec.load();
    } catch (error) {
      const missing = missingPackage(error, this.#spec.packages);
      if (missing !== undefined)
        throw new MissingDependencyError(uri, this.#spec.packages, { cause: error });
      throw new StorageConfigurationError(
        uri,
        `the adapter module ${this.#spec.module} failed to load`,
        { cause: error },
      );
    }
    const factory = (module as Record<string, unknown> | null)?.[this.#spec.factory];
    if (typeof factory !== "function") {
      throw new StorageConfigurationError(
        uri,
        `${this.#spec.module} does not export a function ${this.#spec.factory}`,
      );
    }
    return (factory as StorageFactory)(this.location, this.#options);
  }
}

/** The optional package whose absence made the import fail, if that is what happened. */
function missingPackage(
  error: unknown,
  packages: readonly (string | MissingPackage)[],
): string | undefined {
  const names = packages.map((p) => (typeof p === "string" ? p : p.name));
  // Duck-typed, not `instanceof Error`: loaders (and test runners) may throw from another realm.
  for (
    let e = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
    e;
    e = e.cause as typeof e
  ) {
    if (typeof e !== "object") break;
    const { code, message } = e;
    if (typeof code === "string" && MODULE_NOT_FOUND.has(code) && typeof message === "string") {
      const found = names.find((name) => message.includes(name));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
