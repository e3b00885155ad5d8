import { abortOr } from "./abort.js";

/**
 * A cloud SDK's response body as the `AsyncIterable` `getStream` promises: a failure mid-stream
 * becomes the adapter's typed error (`mapError`), and the body is destroyed however the consumer
 * stops (end, error, or `break`), so no socket is left open. An abort of `signal` destroys the
 * body at once and ends the stream with the signal's reason.
 */
export async function* guardedStream(
  stream: AsyncIterable<Uint8Array> & { destroy(): unknown },
  mapError: (error: unknown) => Error,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const onAbort = (): unknown => stream.destroy();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    signal?.throwIfAborted();
    for await (const chunk of stream) {
      signal?.throwIfAborted();
      yield chunk;
    }
    // A body destroyed by the abort may just end: the consumer must still learn why.
    signal?.throwIfAborted();
  } catch (error) {
    throw abortOr(signal, mapError(error));
  } finally {
    signal?.removeEventListener("abort", onAbort);
    stream.destroy();
  }
}
