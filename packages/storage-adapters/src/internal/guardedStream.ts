/**
 * A cloud SDK's response body as the `AsyncIterable` `getStream` promises: a failure mid-stream
 * becomes the adapter's typed error (`mapError`), and the body is destroyed however the consumer
 * stops (end, error, or `break`), so no socket is left open.
 */
export async function* guardedStream(
  stream: AsyncIterable<Uint8Array> & { destroy(): unknown },
  mapError: (error: unknown) => Error,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of stream) yield chunk;
  } catch (error) {
    throw mapError(error);
  } finally {
    stream.destroy();
  }
}
