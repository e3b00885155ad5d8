import * as zlib from "node:zlib";

/** The synchronous entry of Node's native zlib handle (what `zlib.gunzipSync` drives). */
interface ZlibHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOffset: number,
    inLength: number,
    output: Uint8Array,
    outOffset: number,
    outLength: number,
  ): void;
}

/** Size of the one output buffer; what a consumer gets at most per call. */
const OUT_BYTES = 256 * 1024;

/**
 * Node's native inflater driven synchronously and incrementally, through the handle
 * `zlib.gunzipSync` itself uses. Node has no public API for this (`gunzipSync` is one-shot, and
 * the streams are asynchronous), so {@link NativeGunzip.create} checks that the handle is there
 * and returns `undefined` when it is not. Everything is decoded into one reused 256 KiB buffer:
 * no garbage per chunk, so memory stays flat however long the stream. zlib itself checks the
 * gzip header, CRC-32 and length, and reads concatenated members, exactly as the asynchronous
 * `createGunzip` of the async load path does.
 */
export class NativeGunzip {
  readonly #stream: zlib.Gunzip;
  readonly #handle: ZlibHandle;
  /** `[output bytes left, input bytes left]` after each `writeSync`, filled in by zlib. */
  readonly #state: Uint32Array;
  readonly #out = Buffer.allocUnsafe(OUT_BYTES);

  private constructor(stream: zlib.Gunzip, handle: ZlibHandle, state: Uint32Array) {
    this.#stream = stream;
    this.#handle = handle;
    this.#state = state;
  }

  /** A native inflater, or `undefined` when this Node does not expose the handle. */
  static create(): NativeGunzip | undefined {
    const stream = zlib.createGunzip();
    const internals = stream as unknown as { _handle?: unknown; _writeState?: unknown };
    const handle = internals._handle as Partial<ZlibHandle> | null | undefined;
    const state = internals._writeState;
    // Checked by tag, not `instanceof`: under a test runner the core module is another realm.
    const isState =
      Object.prototype.toString.call(state) === "[object Uint32Array]" &&
      (state as Uint32Array).length >= 2;
    if (typeof handle?.writeSync !== "function" || !isState) {
      stream.close();
      return undefined;
    }
    // A zlib error destroys the stream, which emits "error" later: it is thrown from `push` instead.
    stream.on("error", () => undefined);
    return new NativeGunzip(stream, handle as ZlibHandle, state as Uint32Array);
  }

  /**
   * Inflates `input`, handing each decoded piece to `onData` as a view of the reused buffer,
   * valid only during the call. With `final`, the stream must end here: a truncated one throws.
   */
  push(input: Uint8Array, final: boolean, onData: (chunk: Uint8Array) => void): void {
    this.#run(input, zlib.constants.Z_NO_FLUSH, onData);
    if (final) this.#run(new Uint8Array(0), zlib.constants.Z_FINISH, onData);
  }

  /** Frees the native state now rather than at garbage collection. */
  close(): void {
    this.#stream.close();
  }

  #run(input: Uint8Array, flush: number, onData: (chunk: Uint8Array) => void): void {
    let offset = 0;
    let available = input.length;
    for (;;) {
      this.#handle.writeSync(flush, input, offset, available, this.#out, 0, OUT_BYTES);
      if (this.#stream.destroyed) {
        const error = this.#stream.errored;
        throw new TypeError(
          `gzip stream is corrupt or truncated: ${error?.message ?? "zlib failed"}`,
          { cause: error },
        );
      }
      const outLeft = this.#state[0]!;
      const inLeft = this.#state[1]!;
      offset += available - inLeft;
      available = inLeft;
      if (outLeft < OUT_BYTES) onData(this.#out.subarray(0, OUT_BYTES - outLeft));
      // A full buffer may hide more output; otherwise zlib took all the input it could.
      if (outLeft !== 0) return;
    }
  }
}
