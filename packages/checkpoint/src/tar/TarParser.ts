import {
  BLOCK,
  decodeHeader,
  entryType,
  isZeroBlock,
  paddingFor,
  parsePaxRecords,
} from "./tarHeader.js";
import type { TarEntryType } from "./tarHeader.js";

/** One archive entry, with pax and GNU long-name records already applied. */
export interface TarEntry {
  /** The name as stored (not yet checked for safety). */
  readonly name: string;
  readonly type: Exclude<TarEntryType, "meta">;
  readonly typeflag: string;
  readonly size: number;
  readonly mode: number;
  /** Seconds since the epoch. */
  readonly mtime: number;
  readonly linkname: string;
}

/** What {@link TarParser.next} yields. */
export type TarEvent =
  | { readonly kind: "entry"; readonly entry: TarEntry }
  | { readonly kind: "data"; readonly chunk: Uint8Array }
  | { readonly kind: "entryEnd" }
  | { readonly kind: "end" };

/** Pax / GNU long-name bodies are held in memory; a real one is a few hundred bytes. */
const MAX_META_SIZE = 1 << 20;

/**
 * An incremental tar reader driven by pushing bytes, shared by the async and the sync load
 * paths: `push(chunk)` then call `next()` until it returns `undefined` (needs more input).
 * Data events are views into the pushed chunks (no copies). Any malformed input throws a
 * `TypeError` describing it; callers turn that into a typed checkpoint error.
 */
export class TarParser {
  private readonly chunks: Uint8Array[] = [];
  private available = 0;
  private state: "header" | "data" | "padding" | "meta" | "done" = "header";
  private remaining = 0;
  private padding = 0;
  private metaType = "";
  private metaSize = 0;
  private pax = new Map<string, string>();
  private globalPax = new Map<string, string>();
  private longName: string | undefined;
  private longLink: string | undefined;

  /** True once the end-of-archive marker was read; later bytes are ignored. */
  get done(): boolean {
    return this.state === "done";
  }

  /** Adds input. */
  push(chunk: Uint8Array): void {
    if (this.state === "done" || chunk.length === 0) return;
    this.chunks.push(chunk);
    this.available += chunk.length;
  }

  /** The next event, or `undefined` when more input is needed. */
  next(): TarEvent | undefined {
    for (;;) {
      switch (this.state) {
        case "done":
          return undefined;
        case "data": {
          if (this.remaining === 0) {
            this.state = "padding";
            return { kind: "entryEnd" };
          }
          if (this.available === 0) return undefined;
          const chunk = this.takeUpTo(this.remaining);
          this.remaining -= chunk.length;
          return { kind: "data", chunk };
        }
        case "padding": {
          if (this.padding > 0) {
            if (this.available === 0) return undefined;
            this.padding -= this.takeUpTo(this.padding).length;
            continue;
          }
          this.state = "header";
          continue;
        }
        case "meta": {
          const total = this.metaSize + paddingFor(this.metaSize);
          if (this.available < total) return undefined;
          const body = this.take(total).subarray(0, this.metaSize);
          this.applyMeta(body);
          this.state = "header";
          continue;
        }
        case "header": {
          if (this.available < BLOCK) return undefined;
          const block = this.take(BLOCK);
          if (isZeroBlock(block)) {
            // Python stops at the first zero block too; the rest is padding.
            this.state = "done";
            this.chunks.length = 0;
            this.available = 0;
            return { kind: "end" };
          }
          const raw = decodeHeader(block);
          const type = entryType(raw.typeflag);
          if (type === "meta") {
            if (raw.size > MAX_META_SIZE)
              throw new TypeError(`tar ${raw.typeflag} header of ${raw.size} bytes`);
            this.metaType = raw.typeflag;
            this.metaSize = raw.size;
            this.state = "meta";
            continue;
          }
          const paxSize = this.pax.get("size") ?? this.globalPax.get("size");
          const size = type === "file" ? (paxSize !== undefined ? Number(paxSize) : raw.size) : 0;
          if (!Number.isSafeInteger(size) || size < 0)
            throw new TypeError(`invalid entry size ${paxSize}`);
          const paxMtime = this.pax.get("mtime");
          const entry: TarEntry = {
            name: this.pax.get("path") ?? this.longName ?? this.globalPax.get("path") ?? raw.name,
            linkname: this.pax.get("linkpath") ?? this.longLink ?? raw.linkname,
            type,
            typeflag: raw.typeflag,
            // Hard links and directories carry no data even if a size is (wrongly) set.
            size,
            mode: raw.mode,
            mtime:
              paxMtime !== undefined && Number.isFinite(Number(paxMtime))
                ? Number(paxMtime)
                : raw.mtime,
          };
          // Some writers put a size on links / dirs and data after them: skip it.
          const dataSize = type === "file" ? size : raw.size;
          this.pax = new Map();
          this.longName = undefined;
          this.longLink = undefined;
          this.remaining = type === "file" ? size : 0;
          this.padding = (type === "file" ? 0 : dataSize) + paddingFor(dataSize);
          this.state = "data";
          return { kind: "entry", entry };
        }
      }
    }
  }

  /**
   * Copies the bytes the parser still holds (a partial header or long-name record, never more
   * than one such record) out of the chunks pushed so far, so the caller may reuse their
   * buffers. Call it once `next()` has returned `undefined`; data events are views, valid until
   * then.
   */
  detach(): void {
    if (this.available === 0) return;
    const own = new Uint8Array(this.available);
    let filled = 0;
    for (const chunk of this.chunks) {
      own.set(chunk, filled);
      filled += chunk.length;
    }
    this.chunks.length = 0;
    this.chunks.push(own);
  }

  /**
   * Called when the input has ended: throws if the archive stopped inside an entry. An archive
   * without the end-of-archive blocks but cut at an entry boundary is accepted, as Python does.
   */
  finish(): void {
    if (this.state === "done") return;
    if (this.state === "header" && this.available === 0) return;
    if (this.state === "padding" && this.available === 0 && this.padding === 0) return;
    throw new TypeError("tar archive is truncated");
  }

  private applyMeta(body: Uint8Array): void {
    const text = (): string => {
      const nul = body.indexOf(0);
      return new TextDecoder().decode(nul >= 0 ? body.subarray(0, nul) : body);
    };
    switch (this.metaType) {
      case "x":
        for (const [k, v] of parsePaxRecords(body)) this.pax.set(k, v);
        break;
      case "g":
        for (const [k, v] of parsePaxRecords(body)) this.globalPax.set(k, v);
        break;
      case "L":
        this.longName = text();
        break;
      case "K":
        this.longLink = text();
        break;
    }
  }

  /** Takes exactly n bytes (n <= available), copying only when they span chunks. */
  private take(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length >= n) return this.takeUpTo(n);
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const part = this.takeUpTo(n - filled);
      out.set(part, filled);
      filled += part.length;
    }
    return out;
  }

  /** Takes up to n bytes from the first chunk (zero-copy). */
  private takeUpTo(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length <= n) {
      this.chunks.shift();
      this.available -= first.length;
      return first;
    }
    this.chunks[0] = first.subarray(n);
    this.available -= n;
    return first.subarray(0, n);
  }
}
