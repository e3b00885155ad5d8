import path from "node:path";

import type { ListEntry, ListOptions } from "../Storage.js";
import { InvalidArgumentError, InvalidKeyError } from "../errors.js";
import type { PosixVolume } from "./PosixVolume.js";
import { posixError } from "./posixError.js";
import { posixKeySegments, TEMP_PREFIX } from "./posixKey.js";
import { posixMeta } from "./posixMeta.js";
import { isMissing } from "./posixWriteError.js";

/**
 * The objects under `prefix`, in key order, walking the folders below it; with the `/`
 * delimiter, a sub-folder that holds an object is one `{ prefix }` entry. Temp files of
 * writes in progress are never listed; links only when they lead to a file inside the root.
 * `options.signal` is checked before each entry.
 */
export async function* listPosix(
  volume: PosixVolume,
  prefix: string,
  options: ListOptions,
): AsyncIterable<ListEntry> {
  const uri = volume.root.uriOf(prefix);
  if (options.delimiter !== undefined && options.delimiter !== "/") {
    throw new InvalidArgumentError(
      uri,
      `the only delimiter supported is "/", got ${JSON.stringify(options.delimiter)}`,
    );
  }
  const segments = posixKeySegments(prefix, uri, { allowEmpty: true });
  const endsAtFolder = prefix === "" || prefix.endsWith("/");
  const dirSegments = endsAtFolder ? segments : segments.slice(0, -1);
  const namePrefix = endsAtFolder ? "" : (segments[segments.length - 1] ?? "");
  const dir = path.join(volume.root.root, ...dirSegments);
  const keyBase = dirSegments.length ? `${dirSegments.join("/")}/` : "";
  options.signal?.throwIfAborted();
  let realDir: string;
  try {
    realDir = await volume.root.realInside(dir, uri);
  } catch (error) {
    if (isMissing(error)) return;
    throw posixError(error, uri);
  }
  const walk = new Walk(volume, options.delimiter === "/", uri, options.signal);
  yield* walk.folder(realDir, keyBase, namePrefix);
}

/** One listing's walk down the folders. */
class Walk {
  constructor(
    readonly volume: PosixVolume,
    readonly fold: boolean,
    readonly uri: string,
    readonly signal: AbortSignal | undefined,
  ) {}

  async *folder(dir: string, keyBase: string, namePrefix: string): AsyncIterable<ListEntry> {
    let entries;
    try {
      entries = await this.volume.fs.promises.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw posixError(error, this.uri);
    }
    // Sorting folders as "name/" gives the same order as sorting the full keys would.
    const named = entries
      .map((entry) => ({ entry, name: String(entry.name) }))
      .filter(({ name }) => name.startsWith(namePrefix) && !name.startsWith(TEMP_PREFIX))
      .map((item) => ({ ...item, sortKey: item.entry.isDirectory() ? `${item.name}/` : item.name }))
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const { entry, name } of named) {
      this.signal?.throwIfAborted();
      const full = path.join(dir, name);
      const key = keyBase + name;
      if (entry.isDirectory()) {
        if (!this.fold) yield* this.folder(full, `${key}/`, "");
        else if (await this.holdsObject(full)) yield { prefix: `${key}/` };
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        // Links are listed only when they lead to a file inside the root, as reads allow.
        try {
          const real = await this.volume.root.realInside(full, this.uri);
          const stats = await this.volume.fs.promises.stat(real);
          if (stats.isFile()) yield posixMeta(key, stats);
        } catch (error) {
          if (!isMissing(error) && !(error instanceof InvalidKeyError))
            throw posixError(error, this.uri);
        }
      }
    }
  }

  /** Whether a folder holds an object anywhere below it (empty folders are not listed). */
  async holdsObject(dir: string): Promise<boolean> {
    let entries;
    try {
      entries = await this.volume.fs.promises.readdir(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const entry of entries) {
      const name = String(entry.name);
      if (name.startsWith(TEMP_PREFIX)) continue;
      if (entry.isFile() || entry.isSymbolicLink()) return true;
      if (entry.isDirectory() && (await this.holdsObject(path.join(dir, name)))) return true;
    }
    return false;
  }
}
