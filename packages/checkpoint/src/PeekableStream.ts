/**
 * An async byte stream whose first bytes can be looked at before it is consumed, so a format
 * can be sniffed without buffering or re-reading the object.
 */
export class PeekableStream implements AsyncIterable<Uint8Array> {
  private readonly buffered: Uint8Array[] = [];
  private bufferedLength = 0;
  private ended = false;
  private readonly iterator: AsyncIterator<Uint8Array>;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Up to `n` leading bytes (fewer only when the stream is shorter). */
  async peek(n: number): Promise<Uint8Array> {
    while (this.bufferedLength < n && !this.ended) {
      const { done, value } = await this.iterator.next();
      if (done) this.ended = true;
      else {
        this.buffered.push(value);
        this.bufferedLength += value.length;
      }
    }
    const all = Buffer.concat(this.buffered);
    return all.subarray(0, Math.min(n, all.length));
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    try {
      while (this.buffered.length > 0) yield this.buffered.shift()!;
      this.bufferedLength = 0;
      if (this.ended) return;
      for (;;) {
        const { done, value } = await this.iterator.next();
        if (done) return;
        yield value;
      }
    } finally {
      // Stop the source (release the download) when the consumer quits early.
      await this.iterator.return?.();
    }
  }
}
