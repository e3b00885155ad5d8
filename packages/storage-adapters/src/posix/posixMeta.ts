import type { ObjectMeta } from "../Storage.js";
import type { PosixStats } from "./PosixFs.js";

/** The etag of a file: its inode, size and modification time, all of which a new write changes. */
export function etagOf(stats: PosixStats): string {
  return `${stats.ino.toString(36)}-${stats.size.toString(36)}-${Math.round(stats.mtimeMs * 1000).toString(36)}`;
}

/** What `head`, `list` and the writes report about the file `stats` describes. */
export function posixMeta(key: string, stats: PosixStats): ObjectMeta {
  return { key, size: stats.size, etag: etagOf(stats), lastModified: stats.mtime };
}

/** Last modification time handed out by {@link nextStamp}; strictly increasing. */
let lastStampMs = 0;

/**
 * A modification time (in seconds, for `utimes`) no other write in this process got, so that
 * etags on a single-process volume never repeat (no ABA), even when an inode number is reused.
 */
export function nextStamp(): number {
  lastStampMs = Math.max(Date.now(), lastStampMs + 1);
  return lastStampMs / 1000;
}
