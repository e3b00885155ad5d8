/**
 * A folder in storage, as Flyte passes it between tasks: a multipart `Scalar.blob` (the URI of a
 * prefix) with an optional hash that stands in for the contents in cache keys. Mirrors
 * flyte.io's `Dir`; listing, uploading and downloading go through `@flyte/storage-adapters`.
 */
// `fs.promises` is read on first use: loading node:fs/promises at import costs ~3 ms.
import fs, { createReadStream } from "node:fs";
import os from "node:os";
import path from "node:path";

import { File } from "./File.js";
import { BlobRef, uploadTarget } from "./BlobRef.js";
import type { FileOptions, FileUploadOptions } from "./BlobRef.js";
import { isLocalUri, joinUri, localPathOf, storageFor } from "./storagePaths.js";

const DIR_BRAND = Symbol.for("@flyte/type-engine.Dir");

/** A folder in storage. Immutable; methods read or copy, never change it. */
export class Dir extends BlobRef {
  /** `uri` is the folder's prefix: its files are `<uri>/<relative path>`. */
  constructor(uri: string, options: FileOptions = {}) {
    super("Dir", uri, options);
    Object.defineProperty(this, DIR_BRAND, { value: true });
    Object.freeze(this);
  }

  /** Whether `value` is a Dir of this package (any copy of it). */
  static isDir(value: unknown): value is Dir {
    return typeof value === "object" && value !== null && DIR_BRAND in value;
  }

  /** A Dir naming a folder that already exists; nothing is read or copied. */
  static fromExisting(uri: string, options?: FileOptions): Dir {
    return new Dir(uri, options);
  }

  /**
   * Uploads every file below the local folder `localPath` (recursively, keeping relative paths)
   * and returns the Dir naming the copy. Where it goes: as {@link File.fromLocal}.
   */
  static async fromLocal(localPath: string, options: FileUploadOptions = {}): Promise<Dir> {
    const source = path.resolve(localPath);
    const stat = await fs.promises.stat(source);
    if (!stat.isDirectory()) throw new TypeError(`not a directory: ${source}`);
    const { destination, options: common } = await uploadTarget(
      source,
      options,
      `Dir.fromLocal(${JSON.stringify(localPath)})`,
    );
    if (destination === undefined) return new Dir(source, common);
    const entries = await fs.promises.readdir(source, { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const full = path.join(entry.parentPath, entry.name);
      const rel = path.relative(source, full).split(path.sep).join("/");
      const { storage, key, disk } = await storageFor(joinUri(destination, rel));
      if (disk !== undefined) await disk.putFile(key, full);
      else
        await storage.putStream(key, createReadStream(full), {
          size: (await fs.promises.stat(full)).size,
        });
    }
    return new Dir(destination, common);
  }

  /** Every file below the folder (recursively), as Files, in key order. */
  async list(): Promise<File[]> {
    if (isLocalUri(this.uri)) {
      const root = localPathOf(this.uri);
      const entries = await fs.promises.readdir(root, { recursive: true, withFileTypes: true });
      return entries
        .filter((e) => e.isFile())
        .map((e) => path.join(e.parentPath, e.name))
        .sort()
        .map((p) => new File(p));
    }
    const { storage, key } = await storageFor(this.uri);
    const prefix = key === "" || key.endsWith("/") ? key : `${key}/`;
    const out: File[] = [];
    for await (const entry of storage.list(prefix)) {
      if ("key" in entry) out.push(new File(joinUri(this.uri, entry.key.slice(prefix.length))));
    }
    return out;
  }

  /** Whether the folder holds at least one file. */
  async exists(): Promise<boolean> {
    if (isLocalUri(this.uri)) {
      return fs.promises.stat(localPathOf(this.uri)).then(
        (s) => s.isDirectory(),
        () => false,
      );
    }
    const { storage, key } = await storageFor(this.uri);
    const prefix = key === "" || key.endsWith("/") ? key : `${key}/`;
    for await (const _ of storage.list(prefix)) return true;
    return false;
  }

  /**
   * Copies every file below the folder to the local folder `to` (default: a fresh temporary
   * folder), keeping relative paths, and returns that folder's path.
   */
  async download(to?: string): Promise<string> {
    const target =
      to === undefined
        ? await fs.promises.mkdtemp(path.join(os.tmpdir(), "flyte-dir-"))
        : path.resolve(to);
    await fs.promises.mkdir(target, { recursive: true });
    const base = isLocalUri(this.uri) ? localPathOf(this.uri) : undefined;
    for (const file of await this.list()) {
      const rel =
        base !== undefined
          ? path.relative(base, file.uri)
          : file.uri.slice(this.uri.replace(/\/+$/, "").length + 1);
      const local = path.join(target, ...rel.split("/"));
      // A key with `..` in it must not write outside the folder asked for.
      if (!local.startsWith(target + path.sep)) {
        throw new TypeError(`refusing to download ${file.uri} outside ${target}`);
      }
      await file.download(local);
    }
    return target;
  }
}
