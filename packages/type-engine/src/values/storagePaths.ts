/**
 * Where {@link File} and {@link Dir} uploads go by default, and what counts as local: shared by
 * both, following flyte.io (`File.from_local`, `Dir.from_local`).
 */
import path from "node:path";

import { TypeMismatchError } from "../errors.js";
import type { FileStorage, Storage } from "@flyte/storage-adapters";

import { loadContextCoreAsync } from "../lazy/contextCoreModule.js";
import { loadStorageAdaptersAsync } from "../lazy/storageAdaptersModule.js";

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

/** Whether `uri` names the local disk (a bare path or `file://`), as fsspec's "file" protocol. */
export function isLocalUri(uri: string): boolean {
  const m = SCHEME.exec(uri);
  return m === null || m[1]!.length === 1 || m[1]!.toLowerCase() === "file";
}

/** A local URI as an absolute path. */
export function localPathOf(uri: string): string {
  return path.resolve(uri.replace(/^file:\/\//i, ""));
}

/** `base` + `/` + `rest`, without doubling the slash. */
export function joinUri(base: string, rest: string): string {
  return base.endsWith("/") ? `${base}${rest}` : `${base}/${rest}`;
}

/**
 * The current task's raw data path (`internalCtx().rawData`), or a typed error naming what was
 * being uploaded when there is none (outside a task, before `init`).
 */
export async function rawDataBase(what: string): Promise<string> {
  const c = (await loadContextCoreAsync()).internalCtx();
  if (!c.hasRawData()) {
    throw new TypeMismatchError(
      what,
      "",
      "no upload location: pass `to`, or upload inside a task (or after init) so the raw data path is known",
    );
  }
  return c.rawData.path;
}

/** A fresh location below `base`, as flyte.io's `get_random_remote_path`, keeping `name` last. */
export function randomLocation(base: string, name: string): string {
  // `node:crypto` is loaded on first use, not at import: keeps import("@flyte/sdk") light.
  const random = process.getBuiltinModule("node:crypto").randomBytes(16).toString("hex");
  return joinUri(joinUri(base, random), name);
}

/** What {@link storageFor} returns. */
export interface ResolvedUri {
  readonly storage: Storage;
  readonly key: string;
  /** The same storage when it copies this machine's files itself (the disk adapter's `putFile`). */
  readonly disk: (Storage & FileStorage) | undefined;
}

/** `resolveStorage(uri)` of `@flyte/storage-adapters` (loaded on first use). */
export async function storageFor(uri: string): Promise<ResolvedUri> {
  const adapters = await loadStorageAdaptersAsync();
  const { storage, key } = adapters.resolveStorage(uri);
  const disk = storage.scheme === "file" && adapters.isFileStorage(storage) ? storage : undefined;
  return { storage, key, disk };
}
