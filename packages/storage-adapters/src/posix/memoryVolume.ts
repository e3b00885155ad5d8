import { createRequire } from "node:module";

import { MissingDependencyError } from "../errors.js";
import { optionalPeers } from "../internal/optionalPeers.js";
import type { PosixFs } from "./PosixFs.js";

/** memfs's entry, as far as it is used here. */
interface Memfs {
  memfs(): { fs: unknown };
}

/** Named in-process volumes behind `memory://name/...`; one memfs instance per name. */
const volumes = new Map<string, PosixFs>();
let loaded: Memfs | undefined;

/**
 * memfs, loaded the first time a volume is made, not when this package is imported: it is an
 * optional peer (and costs tens of milliseconds to load), needed only by `memory://`. Loaded
 * with `require`, which is synchronous, so a blocking call (`getSync` on `memory://`) works on
 * first use too; memfs is a CommonJS package, and `createRequire(import.meta.url)` finds it
 * from this package's own folder in both the ESM and the CJS build.
 */
function loadMemfs(uri: string): Memfs {
  if (loaded !== undefined) return loaded;
  try {
    loaded = createRequire(import.meta.url)("memfs") as Memfs;
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    if (code === "MODULE_NOT_FOUND" && String((cause as Error).message).includes("'memfs'")) {
      throw new MissingDependencyError(uri, optionalPeers("memfs"), { cause });
    }
    throw cause;
  }
  return loaded;
}

/**
 * The in-memory file system behind `memory://<name>/`, created on first use. Every storage
 * resolved for the same name in this process shares it, so a test can write through one
 * handle and read through another. Throws `MissingDependencyError` when memfs (an optional
 * peer dependency) is not installed.
 */
export function memoryVolume(name: string): PosixFs {
  let volume = volumes.get(name);
  if (volume === undefined) {
    // memfs's `fs` is a drop-in for node:fs; its own typings differ in overload details only.
    volume = loadMemfs(`memory://${name}/`).memfs().fs as PosixFs;
    volumes.set(name, volume);
  }
  return volume;
}

/**
 * Forgets a named volume and its content (storages already resolved keep the old one).
 * Returns whether it existed.
 */
export function dropMemoryVolume(name: string): boolean {
  return volumes.delete(name);
}
