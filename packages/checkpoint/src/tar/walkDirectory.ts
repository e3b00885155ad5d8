import { isUtf8 } from "node:buffer";
import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from "node:fs";
import type { Stats } from "node:fs";
import { dirname, join } from "node:path";
import { CheckpointUnsupportedEntryError } from "../errors.js";
import { isInside, linkTargetProblem, nameProblem } from "../entryRules/entryRules.js";
import { resolveReal } from "../entryRules/resolveReal.js";
import { encodeHeader } from "./tarHeader.js";
import type { TarEntrySpec } from "./tarHeader.js";

/** Called for entries a checkpoint cannot hold (sockets, FIFOs, devices): they are skipped. */
export type SkipHandler = (path: string, reason: string) => void;

/** How a directory is walked for a save. */
export interface WalkOptions {
  /** Receives the entries that are skipped. */
  readonly onSkip?: SkipHandler;
  /**
   * Store a symlink that `load` would refuse (absolute, or leading out of the directory) as
   * what it points to, and everything inside a directory reached that way dereferenced too
   * (as `tar -h`). Without it such a link is refused with
   * {@link CheckpointUnsupportedEntryError}. Links that stay inside are stored as links either way.
   */
  readonly followSymlinks?: boolean;
}

/** One archive entry of the walk: its header, and the file whose content follows it. */
export interface WalkItem {
  readonly header: Uint8Array;
  readonly file?: { readonly path: string; readonly size: number };
}

/**
 * Python sorts with `sorted()`, which compares code points; UTF-8 byte order is the same order
 * (JavaScript's default sort compares UTF-16 units, which differs for astral characters).
 */
function byBytes(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}

/** A name shown with its undecodable bytes as `\xNN`. */
function showName(name: Buffer): string {
  let out = "";
  for (let i = 0; i < name.length;) {
    const b = name[i]!;
    const width = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
    const piece = width > 0 ? name.subarray(i, i + width) : undefined;
    if (piece !== undefined && piece.length === width && isUtf8(piece)) {
      out += piece.toString("utf8");
      i += width;
    } else {
      out += `\\x${b.toString(16).padStart(2, "0")}`;
      i++;
    }
  }
  return out;
}

/** The children of `dir`, by name bytes, refusing names that are not UTF-8. */
function children(dir: string): string[] {
  const names = readdirSync(dir, { encoding: "buffer" }).sort(byBytes);
  return names.map((name) => {
    if (!isUtf8(name)) {
      throw new CheckpointUnsupportedEntryError(
        join(dir, showName(name)),
        "its name is not valid UTF-8; an archive stores names as UTF-8 text (as Python's tarfile does) and could not restore it: rename it",
      );
    }
    return name.toString("utf8");
  });
}

function specFor(name: string, st: Stats, linkname?: string): TarEntrySpec | undefined {
  const base = {
    mode: st.mode & 0o7777,
    mtime: Math.floor(st.mtimeMs / 1000),
    uid: st.uid,
    gid: st.gid,
  };
  if (st.isDirectory()) return { ...base, name: `${name}/`, type: "directory", size: 0 };
  if (st.isFile()) return { ...base, name, type: "file", size: st.size };
  if (st.isSymbolicLink())
    return { ...base, name, type: "symlink", size: 0, linkname: linkname ?? "" };
  return undefined;
}

/**
 * Walks `dir` in the order and with the names the Python SDK archives it (its top-level
 * entries, sorted; each under its own name; directories recursed in sorted order; symlinks as
 * links), yielding each entry's header and the file whose bytes follow it. Metadata is read
 * with blocking calls (each is quick); file contents are left to the caller.
 *
 * Everything is checked against the rules a restore applies, so what is saved loads: a name
 * that is not UTF-8, or a symlink the restore would refuse (absolute, leading out of `dir`
 * lexically or for real through other links), is refused with
 * {@link CheckpointUnsupportedEntryError} naming it, before anything is published — or, with
 * `followSymlinks`, stored as what the link points to.
 */
export function* walkDirectory(dir: string, options: WalkOptions = {}): Generator<WalkItem> {
  const realRoot = realpathSync(dir);
  /** Directories (device:inode) being walked: a followed link back into one is a loop. */
  const open = new Set<string>();

  function* entry(path: string, name: string, dereference: boolean): Generator<WalkItem> {
    const problem = nameProblem(name);
    if (problem !== undefined)
      throw new CheckpointUnsupportedEntryError(
        path,
        `the archive name ${JSON.stringify(name)} would be refused on load (${problem})`,
      );
    let st = lstatSync(path);
    let linkname: string | undefined;
    let follow = dereference && st.isSymbolicLink();
    if (st.isSymbolicLink() && !follow) {
      const raw = readlinkSync(path, { encoding: "buffer" });
      if (!isUtf8(raw)) {
        if (!options.followSymlinks)
          throw new CheckpointUnsupportedEntryError(path, "its symlink target is not valid UTF-8");
        follow = true;
      } else {
        linkname = raw.toString("utf8");
        const why = linkTargetProblem(name, linkname) ?? realProblem(path, linkname);
        if (why !== undefined) {
          if (!options.followSymlinks) {
            throw new CheckpointUnsupportedEntryError(
              path,
              `${why}; load() refuses such a link, so the checkpoint could never be restored: remove it, or save with followSymlinks: true to store what it points to`,
            );
          }
          follow = true;
        }
      }
    }
    if (follow) {
      try {
        st = statSync(path);
      } catch (cause) {
        throw new CheckpointUnsupportedEntryError(
          path,
          "a symlink that must be followed (it leads out of the directory) points at nothing",
          { cause },
        );
      }
      linkname = undefined;
    }
    const spec = specFor(name, st, linkname);
    if (!spec) {
      options.onSkip?.(path, "not a file, directory or symlink");
      return;
    }
    const header = encodeHeader(spec);
    if (spec.type === "file") {
      yield { header, file: { path, size: spec.size } };
      return;
    }
    yield { header };
    if (spec.type !== "directory") return;
    const id = `${st.dev}:${st.ino}`;
    if (open.has(id))
      throw new CheckpointUnsupportedEntryError(
        path,
        "following symlinks leads back into a directory being saved (a loop)",
      );
    open.add(id);
    // Inside a followed directory every link is followed: its targets are relative to where
    // it really is, not to where the archive puts it.
    const inner = dereference || follow;
    for (const child of children(path)) yield* entry(join(path, child), `${name}/${child}`, inner);
    open.delete(id);
  }

  /** Why the link at `path` leads out of `dir` when resolved for real, or `undefined`. */
  function realProblem(path: string, target: string): string | undefined {
    const real = resolveReal(`${dirname(path)}/${target}`);
    return isInside(real, realRoot)
      ? undefined
      : `symlink resolves outside the saved directory (${real})`;
  }

  const top = statSync(dir);
  open.add(`${top.dev}:${top.ino}`);
  for (const child of children(dir)) yield* entry(join(dir, child), child, false);
}
