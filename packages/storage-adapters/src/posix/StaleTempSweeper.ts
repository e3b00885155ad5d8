import path from "node:path";

import type { PosixFs } from "./PosixFs.js";
import { TEMP_PREFIX } from "./posixKey.js";

/** Folders remembered as swept, at most; past it the memory starts afresh. */
const MAX_REMEMBERED = 10_000;

/**
 * Removes the temporary files of writes that died (SIGKILL mid-write) from the folders a
 * posix adapter writes to: once per folder and adapter, and only files older than
 * `staleTempMs`, since a live writer in another process touches its file with every chunk.
 * Best effort: a failure here never fails the write that triggered it.
 */
export class StaleTempSweeper {
  readonly #fs: PosixFs;
  readonly #staleTempMs: number;
  readonly #swept = new Set<string>();

  /** `staleTempMs <= 0` keeps every temporary file. */
  constructor(fs: PosixFs, staleTempMs: number) {
    this.#fs = fs;
    this.#staleTempMs = staleTempMs;
  }

  /** Sweeps `dir` unless this sweeper already did. */
  async sweepOnce(dir: string): Promise<void> {
    if (this.#staleTempMs <= 0 || this.#swept.has(dir)) return;
    if (this.#swept.size >= MAX_REMEMBERED) this.#swept.clear();
    this.#swept.add(dir);
    const cutoff = Date.now() - this.#staleTempMs;
    try {
      for (const entry of await this.#fs.promises.readdir(dir, { withFileTypes: true })) {
        const name =
          typeof entry.name === "string" ? entry.name : Buffer.from(entry.name).toString();
        if (!name.startsWith(TEMP_PREFIX) || !entry.isFile()) continue;
        const temp = path.join(dir, name);
        const stats = await this.#fs.promises.stat(temp).catch(() => undefined);
        if (stats !== undefined && stats.mtimeMs < cutoff) {
          await this.#fs.promises.unlink(temp).catch(() => undefined);
        }
      }
    } catch {
      // The folder is readable by the write that follows or it fails with its own error.
    }
  }
}
