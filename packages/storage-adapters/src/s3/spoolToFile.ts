import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Bytes } from "../Storage.js";

/** A body written to a private temp file; `dispose` removes it. */
export interface SpooledBody {
  readonly path: string;
  readonly size: number;
  dispose(): Promise<void>;
}

/**
 * Writes the rest of a stream to a temp file, so it can be sent as one request of known length
 * (and hashed for signing) without holding it in memory. Past `limit` bytes it stops with `tooBig()`.
 */
export async function spoolToFile(
  head: readonly Bytes[],
  rest: AsyncIterator<Bytes>,
  limit: number,
  tooBig: () => Error,
): Promise<SpooledBody> {
  const dir = await mkdtemp(join(tmpdir(), "flyte-s3-"));
  const path = join(dir, randomUUID());
  let size = 0;
  async function* all(): AsyncGenerator<Bytes> {
    for (const chunk of head) {
      size += chunk.byteLength;
      yield chunk;
    }
    for (let next = await rest.next(); !next.done; next = await rest.next()) {
      size += next.value.byteLength;
      // Stop as soon as the body cannot be sent, rather than filling the disk first.
      if (size > limit) throw tooBig();
      yield next.value;
    }
  }
  try {
    await pipeline(
      Readable.from(all(), { objectMode: false }),
      createWriteStream(path, { mode: 0o600 }),
    );
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { path, size, dispose: () => rm(dir, { recursive: true, force: true }) };
}
