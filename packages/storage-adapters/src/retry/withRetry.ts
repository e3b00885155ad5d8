import type {
  Bytes,
  Capabilities,
  DeleteOptions,
  FileStorage,
  GetOptions,
  HeadOptions,
  ListEntry,
  ListOptions,
  PreflightCheckOptions,
  PutFileOptions,
  PutOptions,
  PutStreamOptions,
  Storage,
  SyncStorage,
} from "../Storage.js";
import { InvalidArgumentError, StorageError, TransientError } from "../errors.js";
import { isFileStorage } from "../isFileStorage.js";
import { isSyncStorage } from "../isSyncStorage.js";

/** How {@link withRetry} backs off. Delay before retry n (0-based) is `min(capMs, baseMs * factor^n)`. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 3 */
  readonly retries?: number;
  /** @default 50 */
  readonly baseMs?: number;
  /** @default 2 */
  readonly factor?: number;
  /** @default 2000 */
  readonly capMs?: number;
  /** Random delay in [0, delay] ("full jitter") so racing clients spread out. @default true */
  readonly jitter?: boolean;
  /** Which errors to retry. @default `error instanceof TransientError` */
  readonly isRetryable?: (error: unknown) => boolean;
}

interface Policy {
  readonly retries: number;
  readonly baseMs: number;
  readonly factor: number;
  readonly capMs: number;
  readonly jitter: boolean;
  readonly isRetryable: (error: unknown) => boolean;
}

/**
 * Wraps `storage` so operations that fail with a `TransientError` are tried again with
 * exponential backoff. Only what can be repeated safely is retried: a `putStream` whose body
 * has begun to be read, and a `list` or `getStream` that has begun to yield, are not. When the
 * retries run out, a `TransientError` naming the URI is thrown with the last failure as `cause`.
 * An operation whose `signal` is aborted is not tried again: it rejects with the signal's
 * reason, also when the abort comes during a backoff (which it cuts short).
 * The sync twins and the local-file copies, if the storage has them, are wrapped too (blocking
 * backoff for the former); a local file can be read again, so those are retried whole.
 */
export function withRetry(
  storage: Storage & SyncStorage,
  options?: RetryOptions,
): Storage & SyncStorage;
export function withRetry(storage: Storage, options?: RetryOptions): Storage;
export function withRetry(storage: Storage, options: RetryOptions = {}): Storage {
  const policy = retryPolicy(options, `${storage.scheme}://`);
  const run = <T>(operation: () => Promise<T>, signal?: AbortSignal) =>
    retrying(policy, operation, signal);
  const wrapped: Storage = {
    scheme: storage.scheme,
    get capabilities(): Capabilities {
      return storage.capabilities;
    },
    head: (key, o?: HeadOptions) => run(() => storage.head(key, o), o?.signal),
    get: (key, o?: GetOptions) => run(() => storage.get(key, o), o?.signal),
    getStream: (key, o?: GetOptions) => run(() => storage.getStream(key, o), o?.signal),
    put: (key, body: Bytes | string, o?: PutOptions) =>
      run(() => storage.put(key, body, o), o?.signal),
    putStream: (key, body, o?: PutStreamOptions) => {
      // A stream can be read once: retry only while the adapter has not pulled from it.
      let pulled = false;
      const guarded: AsyncIterable<Bytes> = {
        [Symbol.asyncIterator]() {
          pulled = true;
          return body[Symbol.asyncIterator]();
        },
      };
      return retrying(
        { ...policy, isRetryable: (e) => !pulled && policy.isRetryable(e) },
        () => storage.putStream(key, guarded, o),
        o?.signal,
      );
    },
    list: (prefix, o?: ListOptions) =>
      retryingList(policy, () => storage.list(prefix, o), o?.signal),
    delete: (key, o?: DeleteOptions) => run(() => storage.delete(key, o), o?.signal),
    close: () => storage.close?.() ?? Promise.resolve(),
  };
  if (storage.preflight) {
    const preflight = storage.preflight.bind(storage);
    wrapped.preflight = (o?: PreflightCheckOptions) => run(() => preflight(o), o?.signal);
  }
  if (isFileStorage(storage)) {
    const files: FileStorage = {
      // With `onData`, a second try would show the caller the bytes again: one try only.
      putFile: (key, localPath, o?: PutFileOptions) =>
        o?.onData
          ? storage.putFile(key, localPath, o)
          : run(() => storage.putFile(key, localPath, o), o?.signal),
      getToFile: (key, localPath, o) =>
        o?.onData
          ? storage.getToFile(key, localPath, o)
          : run(() => storage.getToFile(key, localPath, o), o?.signal),
    };
    Object.assign(wrapped, files);
  }
  if (!isSyncStorage(storage)) return wrapped;
  const runSync = <T>(operation: () => T) => retryingSync(policy, operation);
  const sync: SyncStorage = {
    headSync: (key) => runSync(() => storage.headSync(key)),
    getSync: (key) => runSync(() => storage.getSync(key)),
    getToFileSync: (key, localPath) => runSync(() => storage.getToFileSync(key, localPath)),
    putSync: (key, body, o) => runSync(() => storage.putSync(key, body, o)),
    putFileSync: (key, localPath, o) => runSync(() => storage.putFileSync(key, localPath, o)),
    deleteSync: (key) => runSync(() => storage.deleteSync(key)),
  };
  return Object.assign(wrapped, sync);
}

function retryPolicy(options: RetryOptions, uri: string): Policy {
  const policy: Policy = {
    retries: options.retries ?? 3,
    baseMs: options.baseMs ?? 50,
    factor: options.factor ?? 2,
    capMs: options.capMs ?? 2000,
    jitter: options.jitter ?? true,
    isRetryable: options.isRetryable ?? ((error) => error instanceof TransientError),
  };
  if (!Number.isSafeInteger(policy.retries) || policy.retries < 0) {
    throw new InvalidArgumentError(
      uri,
      `retries must be a non-negative integer, got ${String(policy.retries)}`,
    );
  }
  for (const name of ["baseMs", "capMs"] as const) {
    if (!Number.isFinite(policy[name]) || policy[name] < 0) {
      throw new InvalidArgumentError(
        uri,
        `${name} must be a non-negative number, got ${String(policy[name])}`,
      );
    }
  }
  if (!Number.isFinite(policy.factor) || policy.factor < 1) {
    throw new InvalidArgumentError(
      uri,
      `factor must be a number >= 1, got ${String(policy.factor)}`,
    );
  }
  if (typeof policy.isRetryable !== "function")
    throw new InvalidArgumentError(uri, "isRetryable must be a function");
  return policy;
}

/** The delay before retry number `attempt` (0-based). */
export function backoffDelay(
  policy: Pick<Policy, "baseMs" | "factor" | "capMs" | "jitter">,
  attempt: number,
): number {
  const delay = Math.min(policy.capMs, policy.baseMs * policy.factor ** attempt);
  return policy.jitter ? Math.random() * delay : delay;
}

function exhausted(error: unknown, attempts: number): unknown {
  if (attempts === 1) return error;
  const uri = error instanceof StorageError ? error.uri : "unknown";
  return new TransientError(uri, `gave up after ${attempts} attempts`, { cause: error });
}

async function retrying<T>(
  policy: Policy,
  operation: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await operation();
    } catch (error) {
      // Whatever the failure looked like, an aborted operation is over.
      signal?.throwIfAborted();
      if (attempt >= policy.retries || !policy.isRetryable(error)) {
        throw policy.isRetryable(error) ? exhausted(error, attempt + 1) : error;
      }
      await sleep(backoffDelay(policy, attempt), signal);
    }
  }
}

async function* retryingList(
  policy: Policy,
  start: () => AsyncIterable<ListEntry>,
  signal: AbortSignal | undefined,
): AsyncIterable<ListEntry> {
  for (let attempt = 0; ; attempt++) {
    let yielded = false;
    signal?.throwIfAborted();
    try {
      for await (const entry of start()) {
        yielded = true;
        yield entry;
      }
      return;
    } catch (error) {
      signal?.throwIfAborted();
      // Once entries went out, starting over would repeat them.
      if (yielded || attempt >= policy.retries || !policy.isRetryable(error)) {
        throw !yielded && policy.isRetryable(error) ? exhausted(error, attempt + 1) : error;
      }
      await sleep(backoffDelay(policy, attempt), signal);
    }
  }
}

function retryingSync<T>(policy: Policy, operation: () => T): T {
  for (let attempt = 0; ; attempt++) {
    try {
      return operation();
    } catch (error) {
      if (attempt >= policy.retries || !policy.isRetryable(error)) {
        throw policy.isRetryable(error) ? exhausted(error, attempt + 1) : error;
      }
      // The sync twins block by contract; Atomics.wait blocks without spinning the CPU.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, backoffDelay(policy, attempt));
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
