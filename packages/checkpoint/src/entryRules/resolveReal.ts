import { lstatSync, readlinkSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Where `path` really leads, resolving every symlink component by component as the kernel
 * would (`..` after a link applies to the link's target, not lexically). A missing component
 * ends the walk: nothing can be reached through it, and the rest is appended lexically (which
 * only errs on the safe side). Shared by the restore (links created from an archive) and the
 * save (links found in the directory being saved), so both judge a link the same way.
 */
export function resolveReal(path: string, hops = { n: 0 }): string {
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  let cur = "/";
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === "..") {
      cur = dirname(cur);
      continue;
    }
    const next = cur === "/" ? `/${part}` : `${cur}/${part}`;
    let isLink: boolean;
    try {
      isLink = lstatSync(next).isSymbolicLink();
    } catch {
      return join(next, ...parts.slice(i + 1));
    }
    if (!isLink) {
      cur = next;
      continue;
    }
    if (++hops.n > 40) return next; // a loop: the kernel refuses to follow it (ELOOP)
    const target = readlinkSync(next);
    cur = resolveReal(target.startsWith("/") ? target : `${cur}/${target}`, hops);
  }
  return cur;
}
