import path from "node:path";

import { InvalidKeyError } from "../errors.js";
import type { PosixFs } from "./PosixFs.js";
import { errnoCode, posixError } from "./posixError.js";
import { posixKeySegments } from "./posixKey.js";
import { parentIsObject } from "./posixWriteError.js";

/**
 * Where keys live on a posix volume: the mapping from a key to a path under the root, and the
 * checks that a path really lies inside the root once symbolic links are followed. Keys are
 * checked before any I/O (`posixKeySegments`), resolved paths against the real root, so `..`,
 * absolute keys, NUL bytes and links that lead outside the root are refused with
 * `InvalidKeyError`.
 */
export class PosixRoot {
  /** The absolute root folder. */
  readonly root: string;
  readonly #fs: PosixFs;
  readonly #baseUri: string;
  #realRoot: string | undefined;

  constructor(fs: PosixFs, root: string, baseUri: string) {
    this.#fs = fs;
    this.root = root;
    this.#baseUri = baseUri;
  }

  /** The URI naming `key` in errors. */
  uriOf(key: string): string {
    return `${this.#baseUri}${key}`;
  }

  /** The path of `key` under the root, after checking the key's syntax (no I/O). */
  pathOf(key: string, uri: string): string {
    return path.join(this.root, ...posixKeySegments(key, uri));
  }

  /** Resolves `target` (which must exist) through symbolic links and refuses it if it leaves the root. */
  async realInside(target: string, uri: string): Promise<string> {
    this.#realRoot ??= await this.#fs.promises.realpath(this.root);
    const real = await this.#fs.promises.realpath(target);
    checkInside(real, this.#realRoot, uri);
    return real;
  }

  /** The blocking twin of {@link realInside}. */
  realInsideSync(target: string, uri: string): string {
    this.#realRoot ??= this.#fs.realpathSync(this.root);
    const real = this.#fs.realpathSync(target);
    checkInside(real, this.#realRoot, uri);
    return real;
  }

  /**
   * The folder `file` goes in, created if needed, after checking that the deepest part of it
   * that already exists lies inside the root (so `mkdir` never follows a link out).
   */
  async prepareParent(file: string, uri: string): Promise<string> {
    if (this.#realRoot === undefined) {
      await this.#fs.promises.mkdir(this.root, { recursive: true }).catch((error: unknown) => {
        throw posixError(error, uri);
      });
    }
    const dir = path.dirname(file);
    for (let existing = dir; ; existing = path.dirname(existing)) {
      try {
        const real = await this.realInside(existing, uri);
        if (existing === dir) return real;
        break;
      } catch (error) {
        const failure = ancestorFailure(error, existing, uri);
        if (failure !== undefined) throw failure;
      }
    }
    try {
      await this.#fs.promises.mkdir(dir, { recursive: true });
      return await this.realInside(dir, uri);
    } catch (error) {
      throw mapMkdirError(error, uri);
    }
  }

  /** The blocking twin of {@link prepareParent}. */
  prepareParentSync(file: string, uri: string): string {
    if (this.#realRoot === undefined) {
      try {
        this.#fs.mkdirSync(this.root, { recursive: true });
      } catch (error) {
        throw posixError(error, uri);
      }
    }
    const dir = path.dirname(file);
    for (let existing = dir; ; existing = path.dirname(existing)) {
      try {
        const real = this.realInsideSync(existing, uri);
        if (existing === dir) return real;
        break;
      } catch (error) {
        const failure = ancestorFailure(error, existing, uri);
        if (failure !== undefined) throw failure;
      }
    }
    try {
      this.#fs.mkdirSync(dir, { recursive: true });
      return this.realInsideSync(dir, uri);
    } catch (error) {
      throw mapMkdirError(error, uri);
    }
  }
}

function checkInside(real: string, realRoot: string, uri: string): void {
  if (
    real !== realRoot &&
    !real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep)
  ) {
    throw new InvalidKeyError(uri, "it resolves outside the storage root through a symbolic link");
  }
}

/**
 * What to throw when checking the folder `existing` failed with `error`; `undefined` when it
 * does not exist yet (and is not the file-system root), so its parent is checked next.
 */
function ancestorFailure(error: unknown, existing: string, uri: string): unknown {
  const code = errnoCode(error);
  if (code === "ENOTDIR") return parentIsObject(uri, error);
  if (code === "ENOENT" && existing !== path.dirname(existing)) return undefined;
  return posixError(error, uri);
}

function mapMkdirError(error: unknown, uri: string): unknown {
  if (errnoCode(error) === "EEXIST" || errnoCode(error) === "ENOTDIR")
    return parentIsObject(uri, error);
  return posixError(error, uri);
}
