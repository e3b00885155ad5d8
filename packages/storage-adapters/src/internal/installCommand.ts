import { existsSync } from "node:fs";
import path from "node:path";

/** A package manager whose install command a `MissingDependencyError` can suggest. */
export type PackageManager = "npm" | "pnpm" | "yarn" | "bun";

/** Lockfiles, in the order they are looked for in each folder. */
const LOCKFILES: ReadonlyArray<readonly [string, PackageManager]> = [
  ["pnpm-lock.yaml", "pnpm"],
  ["yarn.lock", "yarn"],
  ["bun.lock", "bun"],
  ["bun.lockb", "bun"],
  ["package-lock.json", "npm"],
  ["npm-shrinkwrap.json", "npm"],
];

const ADD: Readonly<Record<PackageManager, string>> = {
  npm: "npm install",
  pnpm: "pnpm add",
  yarn: "yarn add",
  bun: "bun add",
};

/**
 * The package manager the user works with: the one that started this process (each sets
 * `npm_config_user_agent`, e.g. `pnpm/12.4.2 npm/? node/v22.23.5 linux x64`), else the one
 * whose lockfile is in the working folder or the nearest folder above it, else npm.
 */
export function detectPackageManager(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): PackageManager {
  const agent = /^(npm|pnpm|yarn|bun)\//.exec(env["npm_config_user_agent"] ?? "")?.[1];
  if (agent !== undefined) return agent as PackageManager;
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const [file, manager] of LOCKFILES) {
      if (existsSync(path.join(dir, file))) return manager;
    }
    if (dir === path.dirname(dir)) return "npm";
  }
}

/**
 * The command that installs `packages` (with their ranges, quoted so no shell reads `^` or
 * `~`) with `manager`, by default the user's (see {@link detectPackageManager}).
 */
export function installCommandFor(
  packages: ReadonlyArray<{ readonly name: string; readonly range: string }>,
  manager: PackageManager = detectPackageManager(),
): string {
  const specs = packages.map(({ name, range }) => (range ? `"${name}@${range}"` : name));
  return `${ADD[manager]} ${specs.join(" ")}`;
}
