import { Readable } from "node:stream";
import type { ContainerClient } from "@azure/storage-blob";
import type {
  Bytes,
  Capabilities,
  DeleteOptions,
  GetOptions,
  HeadOptions,
  ListEntry,
  ListOptions,
  ObjectMeta,
  PreflightCheckOptions,
  PutOptions,
  PutStreamOptions,
  Storage,
  SyncStorage,
} from "../Storage.js";
import {
  InvalidArgumentError,
  InvalidKeyError,
  NotFoundError,
  StorageConfigurationError,
} from "../errors.js";
import { abortableChunks, abortOr } from "../internal/abort.js";
import { bodyBytes, bodyChunks } from "../internal/bodyBytes.js";
import { objectMeta } from "../internal/objectMeta.js";
import { mergeByKey } from "../internal/mergeByKey.js";
import { guardedStream } from "../internal/guardedStream.js";
import { normalizePutMode, type NormalizedPutMode } from "../internal/normalizePutMode.js";
import { normalizeRange } from "../internal/normalizeRange.js";
import { SyncBridge } from "../sync-bridge/SyncBridge.js";
import type { AzureLocation, AzureStorageOptions } from "./AzureStorageOptions.js";
import { azureError, azureErrorInfo, type AzureIntent } from "./azureError.js";
import { loadAzureSdk } from "./loadAzureSdk.js";
import { checkAzureAccountName, isAzureCloudHost } from "./parseAbfsUri.js";
import { resolveAzureConfig, type ResolvedAzureConfig } from "./resolveAzureConfig.js";
import { watchSource } from "../s3/watchSource.js";

/**
 * A container on Azure Blob Storage (or Azurite), on `@azure/storage-blob`, with block blobs.
 *
 * Writes are atomic: a single Put Blob, or staged blocks that only become the blob when the block
 * list is committed. Conditions ride on that final request (`If-None-Match: *` for `"create"`,
 * `If-Match` for `{ ifMatch }`), and Azure enforces them there, so large exclusive creates stay
 * exclusive. The blocking twins run this same adapter in a worker thread.
 */
export class AzureStorage implements Storage, SyncStorage {
  readonly scheme: string;
  readonly container: string;
  readonly accountName: string;
  /** The blob service URL of the account in use. */
  readonly endpoint: string;
  readonly capabilities: Capabilities = {
    conditionalCreate: true,
    conditionalUpdate: true,
    rangeRead: true,
    // Not native: the blocking twins go through a worker thread (see SyncBridge).
    sync: true,
  };
  readonly #config: ResolvedAzureConfig;
  readonly #location: AzureLocation;
  readonly #options: AzureStorageOptions;
  #client: Promise<ContainerClient> | undefined;
  #containerSeen = false;
  #bridge: SyncBridge | undefined;
  #closed = false;

  constructor(location: AzureLocation, options: AzureStorageOptions = {}) {
    const scheme = location?.scheme || "abfs";
    this.#config = resolveAzureConfig(location, options, location?.uri ?? `${scheme}://`);
    this.#location = { scheme, bucket: location.bucket, uri: location.uri };
    this.#options = options;
    this.scheme = scheme;
    this.container = this.#config.container;
    this.accountName = this.#config.accountName;
    this.endpoint = this.#config.endpoint;
  }

  async head(key: string, options: HeadOptions = {}): Promise<ObjectMeta | null> {
    const uri = this.#checkKey(key);
    const { signal } = options;
    signal?.throwIfAborted();
    const container = await this.#connect(uri);
    try {
      const p = await container.getBlockBlobClient(key).getProperties(abortable(signal));
      this.#containerSeen = true;
      return objectMeta(key, p.contentLength ?? 0, p.etag, p.lastModified);
    } catch (error) {
      const { code, status } = azureErrorInfo(error);
      if (!signal?.aborted && status === 404 && code !== "ContainerNotFound") {
        await this.#checkContainer(uri, signal);
        return null;
      }
      throw abortOr(signal, azureError(error, uri, "read", this.container));
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<Bytes> {
    const uri = this.#checkKey(key);
    const { signal } = options;
    const body = await this.#download(key, uri, options);
    if (body === undefined) return new Uint8Array(0);
    const onAbort = (): unknown => body.stream.destroy();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      if (body.length !== undefined) {
        const out = Buffer.allocUnsafe(body.length);
        let offset = 0;
        for await (const chunk of body.stream as AsyncIterable<Uint8Array>) {
          out.set(chunk, offset);
          offset += chunk.byteLength;
        }
        signal?.throwIfAborted();
        return offset === body.length ? out : out.subarray(0, offset);
      }
      const chunks: Buffer[] = [];
      for await (const chunk of body.stream as AsyncIterable<Buffer>) chunks.push(chunk);
      signal?.throwIfAborted();
      return Buffer.concat(chunks);
    } catch (error) {
      throw abortOr(signal, azureError(error, uri, "read", this.container));
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  async getStream(key: string, options: GetOptions = {}): Promise<AsyncIterable<Bytes>> {
    const uri = this.#checkKey(key);
    const body = await this.#download(key, uri, options);
    if (body === undefined) return (async function* () {})();
    const container = this.container;
    return guardedStream(
      body.stream as AsyncIterable<Uint8Array> & { destroy(): unknown },
      (error) => azureError(error, uri, "read", container),
      options.signal,
    );
  }

  async put(key: string, body: Bytes | string, options: PutOptions = {}): Promise<ObjectMeta> {
    const uri = this.#checkKey(key);
    const bytes = bodyBytes(body, uri);
    const mode = normalizePutMode(options.mode, uri);
    options.signal?.throwIfAborted();
    const container = await this.#connect(uri);
    try {
      const out = await container.getBlockBlobClient(key).uploadData(bytes, {
        blockSize: this.#config.blockSize,
        concurrency: this.#config.concurrency,
        conditions: conditions(mode),
        ...(options.contentType
          ? { blobHTTPHeaders: { blobContentType: options.contentType } }
          : {}),
        ...abortable(options.signal),
      });
      return objectMeta(key, bytes.byteLength, out.etag, out.lastModified);
    } catch (error) {
      throw abortOr(options.signal, azureError(error, uri, intentOf(mode), this.container));
    }
  }

  async putStream(
    key: string,
    body: AsyncIterable<Bytes>,
    options: PutStreamOptions = {},
  ): Promise<ObjectMeta> {
    const uri = this.#checkKey(key);
    const mode = normalizePutMode(options.mode, uri);
    if (options.size !== undefined && (!Number.isSafeInteger(options.size) || options.size < 0)) {
      throw new InvalidArgumentError(uri, "size must be a non-negative integer");
    }
    options.signal?.throwIfAborted();
    const container = await this.#connect(uri);
    const source = watchSource(abortableChunks(bodyChunks(body, uri), options.signal));
    try {
      const out = await container
        .getBlockBlobClient(key)
        .uploadStream(
          Readable.from(asBuffers(source.chunks)),
          this.#config.blockSize,
          this.#config.concurrency,
          {
            conditions: conditions(mode),
            ...(options.contentType
              ? { blobHTTPHeaders: { blobContentType: options.contentType } }
              : {}),
            ...abortable(options.signal),
          },
        );
      return objectMeta(key, source.size(), out.etag, out.lastModified);
    } catch (error) {
      const failed = source.error();
      throw abortOr(
        options.signal,
        failed ? failed.value : azureError(error, uri, intentOf(mode), this.container),
      );
    }
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ListEntry> {
    const uri = this.#uri(typeof prefix === "string" ? prefix : "");
    if (typeof prefix !== "string") throw new InvalidKeyError(uri, "the prefix must be a string");
    if (options.delimiter !== undefined && options.delimiter !== "/") {
      throw new InvalidArgumentError(uri, 'the only supported delimiter is "/"');
    }
    const { signal } = options;
    signal?.throwIfAborted();
    const container = await this.#connect(uri);
    try {
      if (options.delimiter === undefined) {
        for await (const page of container
          .listBlobsFlat({ prefix, ...abortable(signal) })
          .byPage({ maxPageSize: 1000 })) {
          for (const b of page.segment.blobItems) {
            signal?.throwIfAborted();
            yield objectMeta(
              b.name,
              b.properties.contentLength ?? 0,
              b.properties.etag,
              b.properties.lastModified,
            );
          }
        }
        return;
      }
      for await (const page of container
        .listBlobsByHierarchy("/", { prefix, ...abortable(signal) })
        .byPage({ maxPageSize: 1000 })) {
        const objects: ListEntry[] = page.segment.blobItems.map((b) =>
          objectMeta(
            b.name,
            b.properties.contentLength ?? 0,
            b.properties.etag,
            b.properties.lastModified,
          ),
        );
        const prefixes: ListEntry[] = (page.segment.blobPrefixes ?? []).map((p) => ({
          prefix: p.name,
        }));
        for (const entry of mergeByKey(objects, prefixes)) {
          signal?.throwIfAborted();
          yield entry;
        }
      }
    } catch (error) {
      throw abortOr(signal, azureError(error, uri, "list", this.container));
    }
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<void> {
    const uri = this.#checkKey(key);
    const { signal } = options;
    signal?.throwIfAborted();
    const container = await this.#connect(uri);
    try {
      await container.getBlockBlobClient(key).delete(abortable(signal));
    } catch (error) {
      const mapped = abortOr(signal, azureError(error, uri, "delete", this.container));
      if (mapped instanceof NotFoundError) return;
      throw mapped;
    }
  }

  /**
   * Checks this storage can work before anything runs: `@azure/storage-blob` loads
   * (`MissingDependencyError`); the container name was checked when the adapter was made, and
   * the account name is checked against Azure's rules when the endpoint is Azure itself; with
   * `checkAccess` one request shows the container exists and the credentials may use it.
   */
  async preflight(options: PreflightCheckOptions = {}): Promise<void> {
    const uri = this.#uri("");
    const { signal } = options;
    signal?.throwIfAborted();
    if (isAzureCloudHost(new URL(this.endpoint).hostname)) {
      checkAzureAccountName(this.accountName, uri);
    }
    await this.#connect(uri);
    if (options.checkAccess) {
      this.#containerSeen = false;
      await this.#checkContainer(uri, signal);
    }
  }

  /** Stops the sync worker, if one was started. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#bridge?.close();
    this.#bridge = undefined;
    this.#client = undefined;
  }

  headSync(key: string): ObjectMeta | null {
    return this.#sync().headSync(key);
  }
  getSync(key: string): Bytes {
    return this.#sync().getSync(key);
  }
  getToFileSync(key: string, localPath: string): ObjectMeta {
    return this.#sync().getToFileSync(key, localPath);
  }
  putSync(key: string, body: Bytes | string, options?: Pick<PutOptions, "mode">): ObjectMeta {
    return this.#sync().putSync(key, body, options);
  }
  putFileSync(key: string, localPath: string, options?: Pick<PutOptions, "mode">): ObjectMeta {
    return this.#sync().putFileSync(key, localPath, options);
  }
  deleteSync(key: string): void {
    this.#sync().deleteSync(key);
  }

  async #download(
    key: string,
    uri: string,
    options: GetOptions,
  ): Promise<
    { stream: NodeJS.ReadableStream & { destroy(): void }; length: number | undefined } | undefined
  > {
    let offset = 0;
    let count: number | undefined;
    if (options.range !== undefined) {
      const { start, end } = normalizeRange(options.range, Number.MAX_SAFE_INTEGER, uri);
      if (start === end) {
        if ((await this.head(key, options)) === null) throw new NotFoundError(uri);
        return undefined;
      }
      offset = start;
      count = end - start;
    }
    options.signal?.throwIfAborted();
    const container = await this.#connect(uri);
    try {
      const out = await container
        .getBlockBlobClient(key)
        .download(offset, count, abortable(options.signal));
      const stream = out.readableStreamBody as
        (NodeJS.ReadableStream & { destroy(): void }) | undefined;
      if (stream === undefined)
        throw new StorageConfigurationError(uri, "the Azure SDK returned no Node stream");
      return { stream, length: out.contentLength };
    } catch (error) {
      if (count !== undefined && azureErrorInfo(error).status === 416) return undefined;
      throw abortOr(options.signal, azureError(error, uri, "read", this.container));
    }
  }

  async #checkContainer(uri: string, signal: AbortSignal | undefined): Promise<void> {
    if (this.#containerSeen) return;
    const container = await this.#connect(uri);
    let exists: boolean;
    try {
      exists = await container.exists(abortable(signal));
    } catch (error) {
      throw abortOr(signal, azureError(error, uri, "read", this.container));
    }
    if (!exists)
      throw new StorageConfigurationError(
        uri,
        `Azure container "${this.container}" does not exist`,
      );
    this.#containerSeen = true;
  }

  #connect(uri: string): Promise<ContainerClient> {
    if (this.#closed)
      return Promise.reject(new StorageConfigurationError(uri, "this Azure storage was closed"));
    this.#client ??= loadAzureSdk(uri).then((sdk) => {
      const c = this.#config;
      const pipelineOptions = {
        retryOptions: { maxTries: c.maxAttempts, retryDelayInMs: 200, maxRetryDelayInMs: 5000 },
      };
      const service =
        c.credential.kind === "key"
          ? new sdk.BlobServiceClient(
              c.endpoint,
              new sdk.StorageSharedKeyCredential(c.accountName, c.credential.accountKey),
              pipelineOptions,
            )
          : new sdk.BlobServiceClient(
              c.credential.kind === "sas" ? `${c.endpoint}?${c.credential.sasToken}` : c.endpoint,
              new sdk.AnonymousCredential(),
              pipelineOptions,
            );
      return service.getContainerClient(c.container);
    });
    const pending = this.#client;
    pending.catch(() => {
      if (this.#client === pending) this.#client = undefined;
    });
    return pending;
  }

  #sync(): SyncBridge {
    if (this.#closed)
      throw new StorageConfigurationError(this.#uri(""), "this Azure storage was closed");
    this.#bridge ??= new SyncBridge(
      {
        module: "azure",
        factory: "createAzureStorage",
        location: this.#location,
        options: this.#options,
      },
      this.#uri(""),
    );
    return this.#bridge;
  }

  #checkKey(key: string): string {
    const uri = this.#uri(typeof key === "string" ? key : "");
    if (typeof key !== "string" || key.length === 0)
      throw new InvalidKeyError(uri, "the key must be a non-empty string");
    if (key.includes("\0")) throw new InvalidKeyError(uri, "the key contains a NUL byte");
    if (key.length > 1024)
      throw new InvalidKeyError(uri, "Azure blob names are at most 1024 characters");
    return uri;
  }

  /** URIs in messages take Flyte's form whatever the endpoint, so they match what users wrote. */
  #uri(key: string): string {
    return `${this.scheme}://${this.container}@${this.accountName}.dfs.core.windows.net/${key}`;
  }
}

/** The SDK's block buffering calls `Buffer#copy` on each chunk, so plain `Uint8Array`s are wrapped (no copy). */
async function* asBuffers(chunks: AsyncIterable<Bytes>): AsyncIterable<Buffer> {
  for await (const chunk of chunks) {
    yield Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/** The SDK's `abortSignal` option, present only when there is a signal. */
function abortable(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal ? { abortSignal: signal } : {};
}

function intentOf(mode: NormalizedPutMode): AzureIntent {
  return mode.kind === "create" ? "create" : mode.kind === "ifMatch" ? "ifMatch" : "write";
}

function conditions(mode: NormalizedPutMode): { ifNoneMatch?: string; ifMatch?: string } {
  if (mode.kind === "create") return { ifNoneMatch: "*" };
  if (mode.kind === "ifMatch") return { ifMatch: mode.etag };
  return {};
}
