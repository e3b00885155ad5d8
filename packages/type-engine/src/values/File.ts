/**
 * A file in storage, as Flyte passes it between tasks: a `Scalar.blob` (single part) with a URI
 * and a format, and an optional hash that stands in for the contents in cache keys. Mirrors
 * flyte.io's `File`: it names a file, it does not hold one; reading and uploading go through
 * `@flyte/storage-adapters` (`resolveStorage`), so any registered scheme works.
 */
// `fs.promises` is read on first use: loading node:fs/promises at import costs ~3 ms.
import fs, { createReadStream } from "node:fs";
import os from "node:os";
import path from "node:path";

import { BlobRef, uploadTarget } from "./BlobRef.js";
import type { FileOptions, FileUploadOptions } from "./BlobRef.js";
import { isLocalUri, localPathOf, storageFor } from "./storagePaths.js";

export type { FileOptions, FileRecord, FileUploadOptions } from "./BlobRef.js";

const FILE_BRAND = Symbol.for("@flyte/type-engine.File");

/** A file in storage. Immutable; methods read or copy, never change it. */
export class File extends BlobRef {
  constructor(uri: string, options: FileOptions = {}) {
    super("File", uri, options);
    Object.defineProperty(this, FILE_BRAND, { value: true });
    Object.freeze(this);
  }

  /** Whether `value` is a File of this package (any copy of it). */
  static isFile(value: unknown): value is File {
    return typeof value === "object" && value !== null && FILE_BRAND in value;
  }

  /** A File naming an object that already exists; nothing is read or copied. */
  static fromExisting(uri: string, options?: FileOptions): File {
    return new File(uri, options);
  }

  /**
   * Uploads the local file at `localPath` and returns the File naming the copy. See
   * {@link FileUploadOptions.to} for where it goes. A missing local file is refused before
   * anything is written.
   */
  static async fromLocal(localPath: string, options: FileUploadOptions = {}): Promise<File> {
    const source = path.resolve(localPath);
    const stat = await fs.promises.stat(source);
    if (!stat.isFile()) throw new TypeError(`not a file: ${source}`);
    const { destination, options: common } = await uploadTarget(
      source,
      options,
      `File.fromLocal(${JSON.stringify(localPath)})`,
    );
    if (destination === undefined) return new File(source, common);
    const { storage, key, disk } = await storageFor(destination);
    // putFile copies from this machine's disk; only the disk adapter's own files are on it.
    if (disk !== undefined) await disk.putFile(key, source);
    else await storage.putStream(key, createReadStream(source), { size: stat.size });
    return new File(destination, common);
  }

  /** The whole contents. */
  async read(): Promise<Uint8Array> {
    const { storage, key } = await storageFor(this.uri);
    return storage.get(key);
  }

  /** The contents as a stream of chunks (for files too big to hold). */
  async stream(): Promise<AsyncIterable<Uint8Array>> {
    const { storage, key } = await storageFor(this.uri);
    return storage.getStream(key);
  }

  /** Whether the object exists. */
  async exists(): Promise<boolean> {
    const { storage, key } = await storageFor(this.uri);
    return (await storage.head(key)) !== null;
  }

  /**
   * Copies the file to the local path `to` (default: a fresh temporary folder, keeping the
   * name) and returns that path. A local File is copied too, never handed out in place.
   */
  async download(to?: string): Promise<string> {
    const target =
      to === undefined
        ? path.join(
            await fs.promises.mkdtemp(path.join(os.tmpdir(), "flyte-file-")),
            this.name || "file",
          )
        : path.resolve(to);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    if (isLocalUri(this.uri)) {
      await fs.promises.copyFile(localPathOf(this.uri), target);
      return target;
    }
    const { storage, key } = await storageFor(this.uri);
    const handle = await fs.promises.open(target, "w");
    try {
      for await (const chunk of await storage.getStream(key)) await handle.write(chunk);
    } finally {
      await handle.close();
    }
    return target;
  }
}
