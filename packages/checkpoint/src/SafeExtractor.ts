import {
  closeSync,
  futimesSync,
  linkSync,
  mkdirSync,
  openSync,
  realpathSync,
  rmSync,
  symlinkSync,
  chmodSync,
  utimesSync,
  writeSync,
} from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { dirname, join } from "node:path";
import { isInside, linkTargetProblem, nameProblem } from "./entryRules/entryRules.js";
import { resolveReal } from "./entryRules/resolveReal.js";
import {
  CheckpointCorruptError,
  CheckpointTooLargeError,
  CheckpointUnsafeEntryError,
} from "./errors.js";
import type { ExtractionLimits } from "./limits.js";
import type { TarEntry } from "./tar/TarParser.js";

/** How a {@link SafeExtractor} treats what passes its checks. */
export interface ExtractorOptions {
  /**
   * Create files empty and drop their bytes: every check of a restore (names, links, limits)
   * without writing the data, for an inspection.
   */
  readonly discardData?: boolean;
  /** Told of every entry that passed the checks, in archive order. */
  readonly onEntry?: (entry: TarEntry) => void;
}

interface PendingLink {
  readonly rel: string;
  readonly target: string;
  readonly entry: string;
}

interface DirStamp {
  readonly rel: string;
  readonly mode: number;
  readonly mtime: number;
}

/**
 * Writes tar entries into a fresh directory, refusing anything that could land outside it
 * (tar-slip): absolute names, `..`, device files and FIFOs, hard links to anything but a file
 * already restored, and symlinks that resolve outside. Symlinks are created last (as GNU tar's
 * delayed links), so no entry can be written *through* a link while extracting, and every link is
 * then resolved for real (`realpath`) to catch chains that only escape together. Permissions are
 * tamed as Python's `data` filter does: no set-id bits, no group/other write, owner read/write.
 *
 * One instance restores one archive; the async and sync methods share every check.
 */
export class SafeExtractor {
  private readonly files = new Set<string>();
  private readonly links = new Map<string, PendingLink>();
  private readonly dirs: DirStamp[] = [];
  private entries = 0;
  private declaredBytes = 0;
  private current: { rel: string; mtime: number; handle?: FileHandle; fd?: number } | undefined;

  constructor(
    private readonly root: string,
    private readonly uri: string,
    private readonly limits: ExtractionLimits,
    private readonly options: ExtractorOptions = {},
  ) {}

  /** Checks an entry and says what to do with it; throws a typed error when it is refused. */
  private plan(entry: TarEntry): { rel: string; skip: boolean } {
    if (++this.entries > this.limits.maxEntries) {
      throw new CheckpointTooLargeError(
        this.uri,
        `checkpoint has more than ${this.limits.maxEntries} entries`,
      );
    }
    const rel = this.safeRelative(entry.name, entry.name);
    if (entry.type === "unsupported") {
      throw new CheckpointUnsafeEntryError(
        this.uri,
        entry.name,
        `type ${JSON.stringify(entry.typeflag)} (device, FIFO or sparse file) is refused`,
      );
    }
    if (rel === "") {
      if (entry.type === "directory") return { rel, skip: true }; // "./" itself
      throw new CheckpointUnsafeEntryError(
        this.uri,
        entry.name,
        "an entry must not replace the workspace root",
      );
    }
    this.options.onEntry?.(entry);
    // Nothing may be placed beneath a symlink from the archive: that is how tar-slip escapes.
    const parts = rel.split("/");
    for (let i = 1; i < parts.length; i++) {
      if (this.links.has(parts.slice(0, i).join("/"))) {
        throw new CheckpointUnsafeEntryError(
          this.uri,
          entry.name,
          "path goes through a symlink in the archive",
        );
      }
    }
    // A later entry for the same path replaces an earlier link (tar semantics: last one wins).
    if (entry.type !== "symlink") this.links.delete(rel);
    if (entry.type === "file") {
      this.declaredBytes += entry.size;
      if (this.declaredBytes > this.limits.maxBytes) {
        throw new CheckpointTooLargeError(
          this.uri,
          `checkpoint expands past the limit of ${this.limits.maxBytes} bytes`,
        );
      }
    }
    return { rel, skip: false };
  }

  /** Normalizes an archive name to a relative path inside the root, or refuses it. */
  private safeRelative(name: string, entry: string): string {
    const problem = nameProblem(name);
    if (problem !== undefined) throw new CheckpointUnsafeEntryError(this.uri, entry, problem);
    return name
      .split("/")
      .filter((p) => p !== "" && p !== ".")
      .join("/");
  }

  private abs(rel: string): string {
    return join(this.root, ...rel.split("/"));
  }

  private static fileMode(mode: number): number {
    return (mode & 0o755) | 0o600;
  }

  private linkTarget(entry: TarEntry, rel: string): PendingLink {
    const problem = linkTargetProblem(rel, entry.linkname);
    if (problem !== undefined) throw new CheckpointUnsafeEntryError(this.uri, entry.name, problem);
    return { rel, target: entry.linkname, entry: entry.name };
  }

  private hardlinkSource(entry: TarEntry): string {
    const source = this.safeRelative(entry.linkname, entry.name);
    if (!this.files.has(source)) {
      throw new CheckpointUnsafeEntryError(
        this.uri,
        entry.name,
        `hard link to ${JSON.stringify(entry.linkname)}, which is not a file restored earlier`,
      );
    }
    return source;
  }

  private corrupt(entry: string, error: unknown): CheckpointCorruptError {
    return new CheckpointCorruptError(
      this.uri,
      `cannot restore archive entry ${JSON.stringify(entry)}: ${(error as Error).message}`,
      { cause: error },
    );
  }

  // ---- synchronous ----

  /** Starts an entry (blocking). */
  entrySync(entry: TarEntry): void {
    const { rel, skip } = this.plan(entry);
    if (skip) return;
    const path = this.abs(rel);
    try {
      switch (entry.type) {
        case "directory":
          mkdirSync(path, { recursive: true, mode: 0o700 });
          this.dirs.push({ rel, mode: entry.mode, mtime: entry.mtime });
          return;
        case "symlink":
          this.links.set(rel, this.linkTarget(entry, rel));
          this.removeFileSync(rel);
          return;
        case "hardlink": {
          const source = this.hardlinkSource(entry);
          mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
          this.removeFileSync(rel);
          linkSync(this.abs(source), path);
          this.files.add(rel);
          return;
        }
        case "file": {
          mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
          this.removeFileSync(rel);
          const fd = openSync(path, "wx", SafeExtractor.fileMode(entry.mode));
          if (this.options.discardData) closeSync(fd);
          this.current = { rel, mtime: entry.mtime, ...(this.options.discardData ? {} : { fd }) };
          this.files.add(rel);
          return;
        }
      }
    } catch (error) {
      if (error instanceof CheckpointCorruptError) throw error;
      throw this.corrupt(entry.name, error);
    }
  }

  /** Writes data of the current file (blocking). */
  dataSync(chunk: Uint8Array): void {
    const fd = this.current?.fd;
    if (fd === undefined) return;
    let off = 0;
    while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
  }

  /** Ends the current entry (blocking). */
  endEntrySync(): void {
    const cur = this.current;
    this.current = undefined;
    if (cur?.fd === undefined) return;
    try {
      futimesSync(cur.fd, cur.mtime, cur.mtime);
    } finally {
      closeSync(cur.fd);
    }
  }

  /** Closes an open file after a failure (never throws). */
  abortSync(): void {
    const fd = this.current?.fd;
    this.current = undefined;
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing; the staging folder is removed by the caller
      }
    }
  }

  private removeFileSync(rel: string): void {
    if (this.files.delete(rel)) rmSync(this.abs(rel), { force: true });
  }

  /** Creates the delayed symlinks, checks where they really resolve, stamps directories. */
  finishSync(): void {
    for (const link of this.links.values()) {
      const path = this.abs(link.rel);
      try {
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        symlinkSync(link.target, path);
      } catch (error) {
        throw this.corrupt(link.entry, error);
      }
    }
    const realRoot = realpathSync(this.root);
    for (const link of this.links.values()) {
      const real = resolveReal(`${dirname(this.abs(link.rel))}/${link.target}`);
      if (!isInside(real, realRoot)) {
        throw new CheckpointUnsafeEntryError(
          this.uri,
          link.entry,
          `symlink resolves outside the workspace (${real})`,
        );
      }
    }
    for (const dir of [...this.dirs].reverse()) {
      const path = this.abs(dir.rel);
      chmodSync(path, (dir.mode & 0o755) | 0o700);
      utimesSync(path, dir.mtime, dir.mtime);
    }
  }

  // ---- asynchronous ----

  /** Starts an entry. */
  async entry(entry: TarEntry): Promise<void> {
    if (entry.type !== "file") {
      // Directories, links and hard links are metadata-only: the blocking calls are quick.
      this.entrySync(entry);
      return;
    }
    const { rel } = this.plan(entry);
    const path = this.abs(rel);
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      this.removeFileSync(rel);
      const handle = await open(path, "wx", SafeExtractor.fileMode(entry.mode));
      if (this.options.discardData) await handle.close();
      this.current = { rel, mtime: entry.mtime, ...(this.options.discardData ? {} : { handle }) };
      this.files.add(rel);
    } catch (error) {
      throw this.corrupt(entry.name, error);
    }
  }

  /** Writes data of the current file. */
  async data(chunk: Uint8Array): Promise<void> {
    const handle = this.current?.handle;
    if (!handle) return;
    let off = 0;
    while (off < chunk.length)
      off += (await handle.write(chunk, off, chunk.length - off)).bytesWritten;
  }

  /** Ends the current entry. */
  async endEntry(): Promise<void> {
    const cur = this.current;
    this.current = undefined;
    if (!cur?.handle) return;
    try {
      await cur.handle.utimes(cur.mtime, cur.mtime);
    } finally {
      await cur.handle.close();
    }
  }

  /** Closes an open file after a failure (never throws). */
  async abort(): Promise<void> {
    const handle = this.current?.handle;
    this.current = undefined;
    this.abortSync();
    await handle?.close().catch(() => undefined);
  }
}
