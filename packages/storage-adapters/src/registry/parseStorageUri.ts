import path from "node:path";

import { StorageConfigurationError } from "../errors.js";
import type { StorageLocation } from "./StorageFactory.js";

/** A URI split into the location an instance serves and the key inside it. */
export interface ParsedStorageUri {
  readonly location: StorageLocation;
  /** The key, verbatim: no percent-decoding, no normalising (a leading `/` is dropped). */
  readonly key: string;
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/s;

/**
 * Splits `scheme://bucket/key`, `file:///abs/path`, `memory://name/key` or a bare local path.
 * Parsed by hand rather than with `URL`, which would silently resolve `..` away and
 * percent-decode keys; a `..` must reach the adapter so it can be refused.
 */
export function parseStorageUri(uri: unknown): ParsedStorageUri {
  if (typeof uri !== "string" || uri.trim() === "") {
    throw new StorageConfigurationError(
      String(uri),
      `a storage URI must be a non-empty string, got ${JSON.stringify(uri)}`,
    );
  }
  const match = SCHEME.exec(uri);
  // A single letter before ":" is a Windows drive, not a scheme.
  if (match === null || match[1]!.length === 1) return parseBarePath(uri);
  const scheme = match[1]!.toLowerCase();
  const rest = match[2]!;
  if (!rest.startsWith("//")) {
    throw new StorageConfigurationError(uri, `expected "${scheme}://" followed by a location`);
  }
  const afterSlashes = rest.slice(2);
  const slash = afterSlashes.indexOf("/");
  const authority = slash === -1 ? afterSlashes : afterSlashes.slice(0, slash);
  const keyPart = slash === -1 ? "" : afterSlashes.slice(slash + 1);
  if (scheme === "file") {
    if (authority !== "" && authority !== "localhost") {
      throw new StorageConfigurationError(
        uri,
        'a file URI needs an absolute path: "file:///abs/path"',
      );
    }
    return { location: { scheme: "file", bucket: "", uri: "file://" }, key: keyPart };
  }
  if (scheme !== "memory" && authority === "") {
    throw new StorageConfigurationError(
      uri,
      `a ${scheme}:// URI needs a bucket or container after "//"`,
    );
  }
  return { location: { scheme, bucket: authority, uri: `${scheme}://${authority}` }, key: keyPart };
}

function parseBarePath(uri: string): ParsedStorageUri {
  // `..` is kept so the posix adapter refuses it like any other key; only the base is resolved.
  const absolute = path.isAbsolute(uri) ? uri : `${process.cwd()}${path.sep}${uri}`;
  const key = absolute.split(path.sep).join("/").replace(/^\/+/, "");
  return { location: { scheme: "file", bucket: "", uri: "file://" }, key };
}
