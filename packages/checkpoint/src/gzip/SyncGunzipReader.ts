import { FflateGunzip } from "./FflateGunzip.js";
import { NativeGunzip } from "./NativeGunzip.js";

/** Which inflater a {@link SyncGunzipReader} runs. */
export type GunzipEngine = "native" | "fflate";

/**
 * A blocking, incremental gunzip with bounded memory, for the sync load path (Node's zlib has
 * no public incremental sync API). It drives Node's native inflater synchronously where the
 * runtime allows ({@link NativeGunzip}: fast, one reused output buffer, so no garbage builds up
 * between collections), and fflate otherwise ({@link FflateGunzip}). Either way a corrupt or
 * truncated stream, or a CRC-32 or length mismatch, throws a `TypeError`.
 */
export class SyncGunzipReader {
  /** The inflater in use. */
  readonly engine: GunzipEngine;
  readonly #native: NativeGunzip | undefined;
  readonly #fflate: FflateGunzip | undefined;
  readonly #onData: (chunk: Uint8Array) => void;
  #length = 0;

  /**
   * @param onData receives each decompressed chunk, which is valid only during the call (it may
   *   be a view of a reused buffer): copy whatever must outlive it.
   * @param engine forces an inflater (tests); by default the native one where available.
   */
  constructor(onData: (chunk: Uint8Array) => void, engine?: GunzipEngine) {
    this.#onData = (chunk) => {
      this.#length += chunk.length;
      onData(chunk);
    };
    this.#native = engine === "fflate" ? undefined : NativeGunzip.create();
    if (engine === "native" && this.#native === undefined)
      throw new Error("the native inflater is not available in this Node");
    this.#fflate = this.#native === undefined ? new FflateGunzip(this.#onData) : undefined;
    this.engine = this.#native === undefined ? "fflate" : "native";
  }

  /** Feeds compressed bytes; `final` on the last call (an empty chunk is fine). */
  push(chunk: Uint8Array, final = false): void {
    if (this.#native) this.#native.push(chunk, final, this.#onData);
    else this.#fflate!.push(chunk, final);
  }

  /** Bytes decompressed so far. */
  get outputBytes(): number {
    return this.#length;
  }

  /** Releases the inflater's native state. Idempotent. */
  close(): void {
    this.#native?.close();
  }
}
