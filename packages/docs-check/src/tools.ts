/**
 * The tools a README's command lines may use beyond Node and npm: pnpm (the one on PATH, as a
 * user has it) and yarn classic, installed once into a cache folder of this repository.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { shell } from "./freshProject.js";
import { REPO_DIR } from "./packWorkspace.js";

/** The yarn classic release the READMEs are checked with. */
export const YARN_VERSION = "1.22.22";

/** A folder holding a `yarn` binary of {@link YARN_VERSION}, installed on first use. */
export async function yarnBinDir(): Promise<string> {
  const prefix = join(
    REPO_DIR,
    "node_modules",
    ".cache",
    "flyte-docs-check",
    `yarn-${YARN_VERSION}`,
  );
  const bin = join(prefix, "node_modules", ".bin");
  if (existsSync(join(bin, "yarn"))) return bin;
  mkdirSync(prefix, { recursive: true });
  const r = await shell(
    `npm install --no-audit --no-fund --prefix ${JSON.stringify(prefix)} yarn@${YARN_VERSION}`,
    prefix,
  );
  if (r.code !== 0 || !existsSync(join(bin, "yarn"))) {
    throw new Error(`could not install yarn ${YARN_VERSION} into ${prefix}:\n${r.stderr}`);
  }
  return bin;
}
