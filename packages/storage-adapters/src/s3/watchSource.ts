import type { Bytes } from "../Storage.js";

/** A caller's body stream, with whatever error it threw kept aside. */
export interface WatchedSource {
  readonly chunks: AsyncIterable<Bytes>;
  /** Bytes the source has produced so far. */
  readonly size: () => number;
  /** The source's own error, if it threw: it is rethrown as is, not as an SDK or storage fault. */
  readonly error: () => { readonly value: unknown } | undefined;
}

/**
 * Wraps a body stream so that, when an upload fails because the caller's stream threw, the
 * caller gets its own error back rather than whatever the SDK made of it.
 */
export function watchSource(source: AsyncIterable<Bytes>): WatchedSource {
  let failure: { value: unknown } | undefined;
  let size = 0;
  const chunks = (async function* () {
    try {
      for await (const chunk of source) {
        size += chunk.byteLength;
        yield chunk;
      }
    } catch (error) {
      failure = { value: error };
      throw error;
    }
  })();
  return { chunks, size: () => size, error: () => failure };
}
