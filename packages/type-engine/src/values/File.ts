/**
 * A file in storage, as Flyte passes it between tasks: a `Scalar.blob` (single part) with a URI
 * and a format, and an optional hash that stands in for the contents in cache keys. Mirrors
 * flyte.io's `File`: it names a file, it does not hold one; reading and uploading go through
 * `@flyte/storage-adapters` (`resolveStorage`), so any registered scheme works.
 */
import { createReadStream } from "node:fs";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";

import {
  isLocalUri,
  localPathOf,
  randomLocation,
  rawDataBase,
  storageFor,
} from "./storagePaths.js";

const FILE_BRAND = Symbol.for("@flyte/type-engine.File");

/** Options of {@link File}'s constructor. */
export interface FileOptions {
  /** The format (Flyte's `BlobType.format`, e.g. `"csv"`); `""` when unknown. @default "" */
  readonly format?: string;
  /** Stands in for the contents in cache keys and the inputs hash (`Literal.hash`). */
  readonly hash?: string;
  /** A display name. @default the URI's last segment */
  readonly name?: string;
}

/** Options of {@link File.fromLocal}. */
export interface FileUploadOptions extends FileOptions {
  /**
   * Where to upload. Default: a fresh location under the current task's raw data path; when
   * that path is itself local, the file is not copied and the File names the local file (as
   * flyte.io does).
   */
  readonly to?: string;
}

/** What a {@link File} is inside a msgpack object: flyte.io's `File.model_dump()`. */
export interface FileRecord {
  path: string;
  name: string | null;
  format: string;
  hash: string | null;
}

function lastSegment(uri: string): string {
  const trimmed = uri.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** A file in storage. Immutable; methods read or copy, never change it. */
export class File {
  /** Where the file is: any URI `resolveStorage` accepts, or a local path. */
  readonly uri: string;
  readonly format: string;
  readonly hash: string | undefined;
  readonly name: string;

  constructor(uri: string, options: FileOptions = {}) {
    if (typeof uri !== "string" || uri === "") {
      throw new TypeError(`a File needs a non-empty URI, got ${JSON.stringify(uri)}`);
    }
    this.uri = uri;
    this.format = options.format ?? "";
    this.hash = options.hash === "" ? undefined : options.hash;
    this.name = options.name ?? lastSegment(uri);
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
    const stat = await fs.stat(source);
    if (!stat.isFile()) throw new TypeError(`not a file: ${source}`);
    const name = options.name ?? path.basename(source);
    const common = { format: options.format ?? "", hash: options.hash, name };
    let destination = options.to;
    if (destination === undefined) {
      const base = await rawDataBase(`File.fromLocal(${JSON.stringify(localPath)})`);
      if (isLocalUri(base)) return new File(source, common);
      destination = randomLocation(base, name);
    }
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
        ? path.join(await fs.mkdtemp(path.join(os.tmpdir(), "flyte-file-")), this.name || "file")
        : path.resolve(to);
    await fs.mkdir(path.dirname(target), { recursive: true });
    if (isLocalUri(this.uri)) {
      await fs.copyFile(localPathOf(this.uri), target);
      return target;
    }
    const { storage, key } = await storageFor(this.uri);
    const handle = await fs.open(target, "w");
    try {
      for await (const chunk of await storage.getStream(key)) await handle.write(chunk);
    } finally {
      await handle.close();
    }
    return target;
  }

  /** flyte.io's serialized form (what a File is inside a dataclass or pydantic model). */
  toJSON(): FileRecord {
    return { path: this.uri, name: this.name, format: this.format, hash: this.hash ?? null };
  }
}
