import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";

import type { Bytes, ListEntry } from "../Storage.js";

/** Deterministic bytes for `seed` (xorshift32), so a test can regenerate what it wrote. */
export function patternBytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  fillPattern(out, seed >>> 0 || 1);
  return out;
}

function fillPattern(out: Uint8Array, state: number): number {
  let x = state;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return x >>> 0 || 1;
}

/**
 * A stream of `size` deterministic bytes in uneven chunks, generated as it is read (never
 * whole in memory), and the sha256 of what it produced once it has been read.
 */
export function patternStream(
  size: number,
  seed: number,
  chunkSizes: readonly number[] = [700 * 1024, 1024 * 1024 + 13, 64 * 1024 - 1],
): { readonly body: AsyncIterable<Bytes>; sha256(): string } {
  const hash = createHash("sha256");
  let done = false;
  async function* body(): AsyncIterable<Bytes> {
    let state = seed >>> 0 || 1;
    let produced = 0;
    let turn = 0;
    while (produced < size) {
      const n = Math.min(chunkSizes[turn++ % chunkSizes.length]!, size - produced);
      const chunk = new Uint8Array(n);
      state = fillPattern(chunk, state);
      hash.update(chunk);
      produced += n;
      yield chunk;
    }
    done = true;
  }
  return {
    body: body(),
    sha256() {
      if (!done) throw new Error("the pattern stream has not been read to its end");
      return hash.digest("hex");
    },
  };
}

/** The sha256 of bytes. */
export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Reads a stream to its end, returning its sha256 and size without keeping the bytes. */
export async function digestStream(
  stream: AsyncIterable<Bytes>,
): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest("hex"), size };
}

/** Reads a (small) stream into one buffer. */
export async function collect(stream: AsyncIterable<Bytes>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Every entry of a listing, in the order given. */
export async function listAll(entries: AsyncIterable<ListEntry>): Promise<ListEntry[]> {
  const out: ListEntry[] = [];
  for await (const entry of entries) out.push(entry);
  return out;
}

/**
 * The names in a local folder, sorted, as an array of this module's own realm: test runners
 * that sandbox modules (jest) hand out arrays from `node:fs` whose prototype differs, which
 * strict deep equality would report as a difference.
 */
export function folderNames(dir: string): string[] {
  return [...readdirSync(dir)].sort();
}

/** UTF-8 text of bytes. */
export function text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/** A stream of the given chunks, optionally pausing before chunk `pauseAt` until `gate` resolves. */
export async function* chunks(
  parts: readonly Uint8Array[],
  gate?: { at: number; wait: Promise<void>; reached: () => void },
): AsyncIterable<Bytes> {
  for (let i = 0; i < parts.length; i++) {
    if (gate && i === gate.at) {
      gate.reached();
      await gate.wait;
    }
    yield parts[i]!;
  }
}
