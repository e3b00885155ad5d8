/*
 * How every adapter honours `signal` (see `OperationOptions`): an aborted operation rejects
 * with the signal's reason, unchanged, whatever the backend made of the abort.
 */

/**
 * The error an operation that failed with `error` rejects with: the signal's reason once the
 * signal is aborted (an SDK's own AbortError, a closed socket, a half-read file are all
 * consequences of the abort), else `error`.
 */
export function abortOr(signal: AbortSignal | undefined, error: unknown): unknown {
  return signal?.aborted ? signal.reason : error;
}

/**
 * Settles as `promise` does, or rejects with the signal's reason as soon as it is aborted:
 * for waits the operation cannot cancel itself (a caller's stream that stalls, a module that
 * loads). The promise left behind is observed, so its late failure is never unhandled.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error as Error);
      },
    );
  });
}

/**
 * The chunks of a caller's stream, stopped by `signal`: checked before each chunk, and a
 * chunk the source is slow to give is abandoned the moment the signal aborts (the source is
 * then told to stop with `return()`, without waiting for it).
 */
export async function* abortableChunks<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal | undefined,
): AsyncGenerator<T> {
  if (signal === undefined) {
    yield* source;
    return;
  }
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      signal.throwIfAborted();
      const next = await raceAbort(iterator.next(), signal);
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // A source that is stalled cannot be awaited; one that stopped early is told to clean up.
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}
