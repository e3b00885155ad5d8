/**
 * What an install put on disk: the packages in a project's node_modules (whatever the package
 * manager's layout: npm's and yarn's nested folders, pnpm's `.pnpm` store links) and their size.
 */
import { existsSync, lstatSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** One installed package. */
export interface InstalledPackage {
  readonly id: string;
  readonly bytes: number;
}

/** The installed packages (each `name@version` once) under `<project>/node_modules`. */
export function installedPackages(project: string): InstalledPackage[] {
  const found = new Map<string, number>();
  const visit = (nodeModules: string): void => {
    for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue; // symlinks (pnpm's top level, .bin) are not copies
      const dir = join(nodeModules, entry.name);
      if (entry.name.startsWith("@")) {
        visit(dir); // a scope folder holds packages
      } else if (existsSync(join(dir, "package.json"))) {
        const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
          name?: string;
          version?: string;
        };
        const id = `${pkg.name ?? entry.name}@${pkg.version ?? "?"}`;
        if (!found.has(id)) found.set(id, bytesOf(dir));
        if (existsSync(join(dir, "node_modules"))) visit(join(dir, "node_modules"));
      } else {
        // pnpm's .pnpm/<id>/node_modules/<name>, and any other holder of node_modules folders
        for (const inner of readdirSync(dir, { withFileTypes: true })) {
          if (inner.isDirectory() && inner.name === "node_modules") visit(join(dir, inner.name));
          else if (inner.isDirectory()) {
            const nested = join(dir, inner.name, "node_modules");
            if (existsSync(nested) && !lstatSync(nested).isSymbolicLink()) visit(nested);
          }
        }
      }
    }
  };
  const root = join(project, "node_modules");
  if (existsSync(root)) visit(root);
  return [...found.entries()]
    .map(([id, bytes]) => ({ id, bytes }))
    .sort((a, b) => b.bytes - a.bytes);
}

/** The size of a package's own files (its nested node_modules excluded). */
function bytesOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") total += bytesOf(path);
    } else {
      total += lstatSync(path).size;
    }
  }
  return total;
}
