import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
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
  TransientError,
  UnsupportedError,
} from "../errors.js";
import { abortableChunks, abortOr } from "../internal/abort.js";
import { bodyBytes, bodyChunks } from "../internal/bodyBytes.js";
import { objectMeta } from "../internal/objectMeta.js";
import { mergeByKey } from "../internal/mergeByKey.js";
import { guardedStream } from "../internal/guardedStream.js";
import { normalizePutMode, type NormalizedPutMode } from "../internal/normalizePutMode.js";
import { normalizeRange } from "../internal/normalizeRange.js";
import { SyncBridge } from "../sync-bridge/SyncBridge.js";
import type { S3Location, S3StorageOptions } from "./S3StorageOptions.js";
import { loadS3Sdk, type S3Sdk } from "./loadS3Sdk.js";
import { resolveS3Config, type ResolvedS3Config } from "./resolveS3Config.js";
import { s3Error, s3ErrorInfo, type S3Intent } from "./s3Error.js";
import { retryTransient } from "./retryTransient.js";
import { checkS3BucketName } from "./s3BucketName.js";
import { spoolToFile } from "./spoolToFile.js";
import { watchSource } from "./watchSource.js";

/** S3's limit for one PutObject: beyond it only multipart works, which radosgw cannot make exclusive. */
const MAX_SINGLE_PUT = 5 * 1024 ** 3;

interface Client {
  readonly sdk: S3Sdk;
  readonly s3: S3Client;
}

/**
 * A bucket on S3 or an S3-compatible server, on `@aws-sdk/client-s3`.
 *
 * Writes are atomic because S3 publishes an object only when its PutObject or multipart upload
 * completes. Conditional writes (`"create"`, `{ ifMatch }`) always go out as ONE PutObject
 * carrying `If-None-Match: *` or `If-Match`: radosgw ignores those headers on
 * CompleteMultipartUpload, so a multipart create would silently overwrite. Streams of unknown or
 * large size are spooled to a temp file first (bounded memory, and the SDK can hash a file for
 * signing), which caps conditional writes at S3's 5 GiB single-PUT limit; beyond it they throw
 * `UnsupportedError`. Plain overwrites of large bodies use `@aws-sdk/lib-storage`'s multipart Upload.
 *
 * The blocking twins (`getSync`, `putSync`, ...) run this same adapter in a worker thread.
 */
export class S3Storage implements Storage, SyncStorage {
  readonly scheme: string;
  readonly bucket: string;
  readonly capabilities: Capabilities;
  /** The endpoint in use (`undefined`: AWS itself). */
  readonly endpoint: string | undefined;
  readonly region: string | undefined;
  readonly forcePathStyle: boolean;
  readonly #config: ResolvedS3Config;
  readonly #location: S3Location;
  readonly #options: S3StorageOptions;
  #client: Promise<Client> | undefined;
  #bucketSeen = false;
  #bridge: SyncBridge | undefined;
  #closed = false;

  constructor(location: S3Location, options: S3StorageOptions = {}) {
    if (
      typeof location?.bucket !== "string" ||
      !/^[a-z0-9][a-z0-9.\-_]{1,254}$/i.test(location.bucket)
    ) {
      throw new StorageConfigurationError(
        location?.uri ?? "s3://",
        `S3 bucket name ${JSON.stringify(location?.bucket)} is not valid`,
      );
    }
    this.#location = {
      scheme: location.scheme || "s3",
      bucket: location.bucket,
      uri: location.uri,
    };
    this.#options = options;
    this.scheme = this.#location.scheme;
    this.bucket = location.bucket;
    this.#config = resolveS3Config(options, this.#uri(""));
    this.endpoint = this.#config.endpoint;
    this.region = this.#config.region;
    this.forcePathStyle = this.#config.forcePathStyle;
    this.capabilities = {
      conditionalCreate: this.#config.conditionalWrites,
      conditionalUpdate: this.#config.conditionalWrites,
      rangeRead: true,
      // Not native: the blocking twins go through a worker thread (see SyncBridge).
      sync: true,
    };
  }

  async head(key: string, options: HeadOptions = {}): Promise<ObjectMeta | null> {
    const uri = this.#checkKey(key);
    const { signal } = options;
    signal?.throwIfAborted();
    const { sdk, s3 } = await this.#connect(uri);
    try {
      const out = await s3.send(
        new sdk.client.HeadObjectCommand({ Bucket: this.bucket, Key: key }),
        { abortSignal: signal },
      );
      this.#bucketSeen = true;
      return objectMeta(key, out.ContentLength ?? 0, out.ETag, out.LastModified);
    } catch (error) {
      const { code, status } = s3ErrorInfo(error);
      if (!signal?.aborted && (code === "NotFound" || code === "NoSuchKey" || status === 404)) {
        // A HEAD response has no body, so a missing bucket looks like a missing key. Ask once.
        await this.#checkBucket(uri, signal);
        return null;
      }
      throw abortOr(signal, s3Error(error, uri, "read", this.bucket));
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<Bytes> {
    const uri = this.#checkKey(key);
    const { signal } = options;
    const body = await this.#getBody(key, uri, options);
    if (body === undefined) return new Uint8Array(0);
    const onAbort = (): unknown => body.stream.destroy();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      // The SDK's own collector: the same path as a raw GetObject, so no extra copy or overhead.
      const bytes = await (
        body.stream as Readable & { transformToByteArray(): Promise<Uint8Array> }
      ).transformToByteArray();
      signal?.throwIfAborted();
      return bytes;
    } catch (error) {
      throw abortOr(signal, s3Error(error, uri, "read", this.bucket));
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  async getStream(key: string, options: GetOptions = {}): Promise<AsyncIterable<Bytes>> {
    const uri = this.#checkKey(key);
    const body = await this.#getBody(key, uri, options);
    if (body === undefined) return (async function* () {})();
    const bucket = this.bucket;
    return guardedStream(
      body.stream as AsyncIterable<Uint8Array> & { destroy(): unknown },
      (error) => s3Error(error, uri, "read", bucket),
      options.signal,
    );
  }

  async put(key: string, body: Bytes | string, options: PutOptions = {}): Promise<ObjectMeta> {
    const uri = this.#checkKey(key);
    const bytes = bodyBytes(body, uri);
    const mode = this.#checkMode(options.mode, uri);
    options.signal?.throwIfAborted();
    const { sdk, s3 } = await this.#connect(uri);
    if (mode.kind === "overwrite" && bytes.byteLength > this.#config.partSize) {
      return this.#upload(key, uri, bytes, () => bytes.byteLength, options);
    }
    if (bytes.byteLength > MAX_SINGLE_PUT) throw this.#tooBigForCondition(uri);
    const intent = intentOf(mode);
    try {
      const out = await retryTransient(
        () =>
          s3.send(
            new sdk.client.PutObjectCommand({
              Bucket: this.bucket,
              Key: key,
              Body: bytes,
              ContentLength: bytes.byteLength,
              ContentType: options.contentType,
              ...conditionHeaders(mode, this.endpoint !== undefined),
            }),
            { abortSignal: options.signal },
          ),
        (error) => s3ErrorInfo(error).code === "ConditionalRequestConflict",
        this.#config.maxAttempts,
        options.signal,
      );
      return objectMeta(key, bytes.byteLength, out.ETag);
    } catch (error) {
      throw abortOr(options.signal, s3Error(error, uri, intent, this.bucket));
    }
  }

  async putStream(
    key: string,
    body: AsyncIterable<Bytes>,
    options: PutStreamOptions = {},
  ): Promise<ObjectMeta> {
    const uri = this.#checkKey(key);
    const mode = this.#checkMode(options.mode, uri);
    if (options.size !== undefined && (!Number.isSafeInteger(options.size) || options.size < 0)) {
      throw new InvalidArgumentError(uri, "size must be a non-negative integer");
    }
    const { signal } = options;
    signal?.throwIfAborted();
    const source = watchSource(abortableChunks(bodyChunks(body, uri), signal));
    const chunks = source.chunks;
    await this.#connect(uri);
    if (mode.kind === "overwrite") {
      try {
        return await this.#upload(key, uri, Readable.from(chunks), source.size, options);
      } catch (error) {
        throw abortOr(signal, source.error()?.value ?? error);
      }
    }
    if (options.size !== undefined && options.size > MAX_SINGLE_PUT)
      throw this.#tooBigForCondition(uri);
    // A conditional write must be one PutObject (see the class comment). Small bodies are
    // buffered; anything past one part goes to a temp file rather than into memory.
    const iterator = chunks[Symbol.asyncIterator]();
    const head: Bytes[] = [];
    let buffered = 0;
    for (;;) {
      const next = await iterator.next().catch((error: unknown) => {
        throw abortOr(signal, source.error()?.value ?? error);
      });
      if (next.done) return this.put(key, Buffer.concat(head, buffered), options);
      head.push(next.value);
      buffered += next.value.byteLength;
      if (buffered > this.#config.partSize) break;
    }
    let spooled;
    try {
      spooled = await spoolToFile(head, iterator, MAX_SINGLE_PUT, () =>
        this.#tooBigForCondition(uri),
      );
    } catch (error) {
      throw abortOr(signal, source.error()?.value ?? error);
    }
    try {
      return await this.#putFile(key, uri, spooled.path, spooled.size, mode, options);
    } finally {
      await spooled.dispose();
    }
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ListEntry> {
    const uri = this.#uri(prefix);
    if (typeof prefix !== "string") throw new InvalidKeyError(uri, "the prefix must be a string");
    if (options.delimiter !== undefined && options.delimiter !== "/") {
      throw new InvalidArgumentError(uri, 'the only supported delimiter is "/"');
    }
    const { signal } = options;
    signal?.throwIfAborted();
    const { sdk, s3 } = await this.#connect(uri);
    let token: string | undefined;
    do {
      let page;
      try {
        page = await s3.send(
          new sdk.client.ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            Delimiter: options.delimiter,
            ContinuationToken: token,
          }),
          { abortSignal: signal },
        );
      } catch (error) {
        throw abortOr(signal, s3Error(error, uri, "list", this.bucket));
      }
      // Objects and common prefixes come as two sorted lists per page; merge them into key order.
      const objects: ListEntry[] = (page.Contents ?? []).map((o) =>
        objectMeta(o.Key ?? "", o.Size ?? 0, o.ETag, o.LastModified),
      );
      const prefixes: ListEntry[] = (page.CommonPrefixes ?? []).map((p) => ({
        prefix: p.Prefix ?? "",
      }));
      for (const entry of mergeByKey(objects, prefixes)) {
        signal?.throwIfAborted();
        yield entry;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<void> {
    const uri = this.#checkKey(key);
    const { signal } = options;
    signal?.throwIfAborted();
    const { sdk, s3 } = await this.#connect(uri);
    try {
      await s3.send(new sdk.client.DeleteObjectCommand({ Bucket: this.bucket, Key: key }), {
        abortSignal: signal,
      });
    } catch (error) {
      const mapped = abortOr(signal, s3Error(error, uri, "delete", this.bucket));
      if (mapped instanceof NotFoundError) return;
      throw mapped;
    }
  }

  /**
   * Checks this storage can work before anything runs: the AWS SDK loads
   * (`MissingDependencyError`), the bucket name follows S3's rules when the endpoint is AWS
   * itself (custom endpoints such as radosgw allow more), and with `checkAccess` one
   * HeadBucket shows the bucket exists and the credentials may use it.
   */
  async preflight(options: PreflightCheckOptions = {}): Promise<void> {
    const uri = this.#uri("");
    const { signal } = options;
    signal?.throwIfAborted();
    if (this.endpoint === undefined) checkS3BucketName(this.bucket, uri);
    const { sdk, s3 } = await this.#connect(uri);
    if (!options.checkAccess) return;
    try {
      await s3.send(new sdk.client.HeadBucketCommand({ Bucket: this.bucket }), {
        abortSignal: signal,
      });
      this.#bucketSeen = true;
    } catch (error) {
      throw abortOr(signal, this.#bucketError(error, uri));
    }
  }

  /** Stops the sync worker (if one was started) and the SDK's sockets. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#bridge?.close();
    this.#bridge = undefined;
    const client = this.#client;
    this.#client = undefined;
    if (client) (await client.catch(() => undefined))?.s3.destroy();
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

  /** Uploads a local file as one PutObject; used by conditional stream writes and `putFileSync`. */
  async #putFile(
    key: string,
    uri: string,
    path: string,
    size: number,
    mode: NormalizedPutMode,
    options: PutOptions,
  ): Promise<ObjectMeta> {
    const { sdk, s3 } = await this.#connect(uri);
    try {
      // The SDK does not retry a stream body; a file can be reopened, so retry here.
      const out = await retryTransient(
        () =>
          s3.send(
            new sdk.client.PutObjectCommand({
              Bucket: this.bucket,
              Key: key,
              Body: createReadStream(path),
              ContentLength: size,
              ContentType: options.contentType,
              ...conditionHeaders(mode, this.endpoint !== undefined),
            }),
            { abortSignal: options.signal },
          ),
        (error) => s3Error(error, uri, intentOf(mode), this.bucket) instanceof TransientError,
        this.#config.maxAttempts,
        options.signal,
      );
      return objectMeta(key, size, out.ETag);
    } catch (error) {
      throw abortOr(options.signal, s3Error(error, uri, intentOf(mode), this.bucket));
    }
  }

  /** An unconditional write through lib-storage: one PutObject when small, else multipart (aborted on failure). */
  async #upload(
    key: string,
    uri: string,
    // Bytes go to lib-storage as they are: it slices them into parts without a stream or copies.
    body: Readable | Uint8Array,
    size: () => number,
    options: PutOptions,
  ): Promise<ObjectMeta> {
    const { sdk, s3 } = await this.#connect(uri);
    const upload = new sdk.storage.Upload({
      client: s3,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: options.contentType },
      partSize: this.#config.partSize,
      queueSize: this.#config.queueSize,
      leavePartsOnError: false,
    });
    const onAbort = (): void => void upload.abort().catch(() => undefined);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      options.signal?.throwIfAborted();
      const out = await upload.done();
      // Some servers (radosgw) answer CompleteMultipartUpload without an ETag the SDK can read.
      if (!out.ETag) return (await this.head(key)) ?? objectMeta(key, size(), undefined);
      return objectMeta(key, size(), out.ETag);
    } catch (error) {
      throw abortOr(options.signal, s3Error(error, uri, "write", this.bucket));
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  async #getBody(
    key: string,
    uri: string,
    options: GetOptions,
  ): Promise<{ stream: Readable; length: number | undefined } | undefined> {
    let range: string | undefined;
    if (options.range !== undefined) {
      const { start, end } = normalizeRange(options.range, Number.MAX_SAFE_INTEGER, uri);
      if (start === end) {
        // HTTP cannot ask for zero bytes; still, a missing object must be reported as missing.
        if ((await this.head(key, options)) === null) throw new NotFoundError(uri);
        return undefined;
      }
      range = `bytes=${start}-${end - 1}`;
    }
    options.signal?.throwIfAborted();
    const { sdk, s3 } = await this.#connect(uri);
    try {
      const out = await s3.send(
        new sdk.client.GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range }),
        { abortSignal: options.signal },
      );
      return { stream: out.Body as Readable, length: out.ContentLength };
    } catch (error) {
      // A range starting past the end of an existing object reads as empty, as the range clamps.
      if (range !== undefined && s3ErrorInfo(error).status === 416) return undefined;
      throw abortOr(options.signal, s3Error(error, uri, "read", this.bucket));
    }
  }

  async #checkBucket(uri: string, signal: AbortSignal | undefined): Promise<void> {
    if (this.#bucketSeen) return;
    const { sdk, s3 } = await this.#connect(uri);
    try {
      await s3.send(new sdk.client.HeadBucketCommand({ Bucket: this.bucket }), {
        abortSignal: signal,
      });
      this.#bucketSeen = true;
    } catch (error) {
      throw abortOr(signal, this.#bucketError(error, uri));
    }
  }

  /** A failed HeadBucket: a missing bucket is a configuration error, not a missing object. */
  #bucketError(error: unknown, uri: string): Error {
    const { code, status } = s3ErrorInfo(error);
    if (code === "NotFound" || code === "NoSuchBucket" || status === 404) {
      return new StorageConfigurationError(uri, `S3 bucket "${this.bucket}" does not exist`, {
        cause: error,
      });
    }
    return s3Error(error, uri, "read", this.bucket);
  }

  #connect(uri: string): Promise<Client> {
    if (this.#closed)
      return Promise.reject(new StorageConfigurationError(uri, "this S3 storage was closed"));
    this.#client ??= loadS3Sdk(uri).then((sdk) => {
      const c = this.#config;
      const custom = c.endpoint !== undefined;
      const s3 = new sdk.client.S3Client({
        endpoint: c.endpoint,
        region: c.region,
        credentials: c.credentials,
        forcePathStyle: c.forcePathStyle,
        maxAttempts: c.maxAttempts,
        logger: quietLogger,
        // S3-compatible servers reject the SDK's default streaming checksums (411 on radosgw).
        ...(custom
          ? {
              requestChecksumCalculation: "WHEN_REQUIRED",
              responseChecksumValidation: "WHEN_REQUIRED",
            }
          : {}),
      });
      return { sdk, s3 };
    });
    const pending = this.#client;
    pending.catch(() => {
      if (this.#client === pending) this.#client = undefined;
    });
    return pending;
  }

  #sync(): SyncBridge {
    if (this.#closed)
      throw new StorageConfigurationError(this.#uri(""), "this S3 storage was closed");
    this.#bridge ??= new SyncBridge(
      {
        module: "s3",
        factory: "createS3Storage",
        location: this.#location,
        options: this.#options,
      },
      this.#uri(""),
    );
    return this.#bridge;
  }

  #checkMode(mode: unknown, uri: string): NormalizedPutMode {
    const normalized = normalizePutMode(mode, uri);
    if (normalized.kind !== "overwrite" && !this.#config.conditionalWrites) {
      throw new UnsupportedError(
        uri,
        `put mode ${JSON.stringify(mode)}: conditionalWrites is off for this S3 endpoint`,
      );
    }
    return normalized;
  }

  #checkKey(key: string): string {
    const uri = this.#uri(typeof key === "string" ? key : "");
    if (typeof key !== "string" || key.length === 0)
      throw new InvalidKeyError(uri, "the key must be a non-empty string");
    if (key.includes("\0")) throw new InvalidKeyError(uri, "the key contains a NUL byte");
    if (Buffer.byteLength(key) > 1024)
      throw new InvalidKeyError(uri, "S3 keys are at most 1024 bytes");
    return uri;
  }

  #tooBigForCondition(uri: string): UnsupportedError {
    return new UnsupportedError(
      uri,
      "conditional writes above 5 GiB (S3 needs multipart, which is not exclusive)",
    );
  }

  #uri(key: string): string {
    return `${this.scheme}://${this.bucket}/${key}`;
  }
}

/**
 * The SDK prints a console warning whenever a stream-bodied request fails, including an expected
 * 412 on a lost exclusive create; the typed error already says what happened, so that one is dropped.
 */
const quietLogger = {
  debug: (): void => undefined,
  info: (): void => undefined,
  warn: (...args: unknown[]): void => {
    if (typeof args[0] === "string" && args[0].includes("non-retryable streaming request")) return;
    console.warn(...args);
  },
  // The SDK logs every failed command, a 404 from `head` included, as a whole error object with
  // its stack. Each failure reaches the caller as a typed StorageError (the SDK's error as its
  // cause), so the log would only repeat it, loudly, on every "is there a checkpoint?" check.
  error: (): void => undefined,
};

function intentOf(mode: NormalizedPutMode): S3Intent {
  return mode.kind === "create" ? "create" : mode.kind === "ifMatch" ? "ifMatch" : "write";
}

function conditionHeaders(
  mode: NormalizedPutMode,
  unquoted: boolean,
): { IfNoneMatch?: string; IfMatch?: string } {
  if (mode.kind === "create") return { IfNoneMatch: "*" };
  // radosgw 16 compares If-Match on PutObject against the bare etag and fails a quoted one.
  if (mode.kind === "ifMatch")
    return { IfMatch: unquoted ? mode.etag.replace(/^"(.*)"$/, "$1") : mode.etag };
  return {};
}
