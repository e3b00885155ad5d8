/**
 * What File and Dir share: a URI with a format and an optional hash (flyte.io's `path`, `format`,
 * `hash`), their serialized form, and where an upload goes.
 */
import path from "node:path";

import { isLocalUri, randomLocation, rawDataBase } from "./storagePaths.js";

/** Options of {@link File} and {@link Dir}'s constructors. */
export interface FileOptions {
  /** The format (Flyte's `BlobType.format`, e.g. `"csv"`); `""` when unknown. @default "" */
  readonly format?: string;
  /** Stands in for the contents in cache keys and the inputs hash (`Literal.hash`). */
  readonly hash?: string;
  /** A display name. @default the URI's last segment */
  readonly name?: string;
}

/** Options of `File.fromLocal` and `Dir.fromLocal`. */
export interface FileUploadOptions extends FileOptions {
  /**
   * Where to upload. Default: a fresh location under the current task's raw data path; when
   * that path is itself local, nothing is copied and the result names the local path (as
   * flyte.io does).
   */
  readonly to?: string;
}

/** What a File or Dir is inside a msgpack object: flyte.io's `model_dump()`. */
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

/** The fields of a File or Dir. Immutable (the subclasses freeze themselves). */
export abstract class BlobRef {
  /** Where it is: any URI `@flyte/storage-adapters` resolves, or a local path. */
  readonly uri: string;
  readonly format: string;
  readonly hash: string | undefined;
  readonly name: string;

  protected constructor(kind: string, uri: string, options: FileOptions) {
    if (typeof uri !== "string" || uri === "") {
      throw new TypeError(`a ${kind} needs a non-empty URI, got ${JSON.stringify(uri)}`);
    }
    this.uri = uri;
    this.format = options.format ?? "";
    this.hash = options.hash === "" ? undefined : options.hash;
    this.name = options.name ?? lastSegment(uri);
  }

  /** flyte.io's serialized form (what a File or Dir is inside a dataclass or pydantic model). */
  toJSON(): FileRecord {
    return { path: this.uri, name: this.name, format: this.format, hash: this.hash ?? null };
  }
}

/**
 * Where an upload of the local `source` goes, with the options the result gets; `destination`
 * undefined when it stays where it is (the raw data path is local).
 */
export async function uploadTarget(
  source: string,
  options: FileUploadOptions,
  what: string,
): Promise<{ destination: string | undefined; options: FileOptions }> {
  const name = options.name ?? path.basename(source);
  const common = { format: options.format ?? "", hash: options.hash, name };
  if (options.to !== undefined) return { destination: options.to, options: common };
  const base = await rawDataBase(what);
  return {
    destination: isLocalUri(base) ? undefined : randomLocation(base, name),
    options: common,
  };
}
