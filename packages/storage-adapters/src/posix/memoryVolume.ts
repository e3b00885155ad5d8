import { memfs } from "memfs";

import type { PosixFs } from "./PosixFs.js";

/** Named in-process volumes behind `memory://name/...`; one memfs instance per name. */
const volumes = new Map<string, PosixFs>();

/**
 * The in-memory file system behind `memory://<name>/`, created on first use. Every storage
 * resolved for the same name in this process shares it, so a test can write through one
 * handle and read through another.
 */
export function memoryVolume(name: string): PosixFs {
  let volume = volumes.get(name);
  if (volume === undefined) {
    // memfs's `fs` is a drop-in for node:fs; its own typings differ in overload details only.
    volume = memfs().fs as unknown as PosixFs;
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
