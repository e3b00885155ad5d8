/** The READMEs a user reads: the repository's and each public package's. */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { REPO_DIR, publicPackageDirs } from "./packWorkspace.js";

/** One README: its absolute path and its path relative to the repository. */
export interface ReadmeFile {
  readonly path: string;
  readonly label: string;
}

/** README.md at the root, then packages/<public>/README.md, in order. */
export function userReadmes(): ReadmeFile[] {
  const paths = [
    join(REPO_DIR, "README.md"),
    ...publicPackageDirs().map((d) => join(d, "README.md")),
  ];
  return paths
    .filter((p) => existsSync(p))
    .map((path) => ({ path, label: relative(REPO_DIR, path) }));
}
