import { posix, sep } from "node:path";

/**
 * The rules an archive entry must pass to be restored, shared by the restore (which refuses
 * what breaks them) and the save (which refuses, or follows, what the restore would refuse, so
 * a saved checkpoint always loads). Each returns why the entry is refused, or `undefined`.
 */

/** Why an entry name cannot be restored (absolute, `..`, NUL), or `undefined`. */
export function nameProblem(name: string): string | undefined {
  if (name.includes("\0")) return "name contains NUL";
  if (name.startsWith("/") || name.startsWith("\\") || /^[A-Za-z]:/.test(name))
    return "absolute path";
  if (name.split("/").includes("..")) return "path contains '..'";
  return undefined;
}

/**
 * Why a symlink stored as `rel` (the normalized entry path) pointing at `target` cannot be
 * restored by its text alone (empty, NUL, absolute, leading out), or `undefined`.
 */
export function linkTargetProblem(rel: string, target: string): string | undefined {
  if (target === "") return "symlink with an empty target";
  if (target.includes("\0")) return "link target contains NUL";
  if (target.startsWith("/") || /^[A-Za-z]:/.test(target))
    return `symlink to an absolute path ${JSON.stringify(target)}`;
  const resolved = posix.normalize(posix.join(posix.dirname(rel), target));
  if (resolved === ".." || resolved.startsWith("../"))
    return `symlink points outside the workspace (${JSON.stringify(target)})`;
  return undefined;
}

/** Whether the real path `real` is `root` or inside it. */
export function isInside(real: string, root: string): boolean {
  return real === root || real.startsWith(root + sep);
}
