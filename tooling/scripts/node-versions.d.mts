/** Types of node-versions.mjs, for the TypeScript that imports it (benchmarks). */
/** The pinned supported versions (`22.23.5`, ...). */
export declare const NODE_VERSIONS: readonly string[];
/** Where the binaries are cached: $FLYTE_NODE_CACHE, else ~/.cache/flyte-ts/nodes. */
export declare function nodeCacheDir(): string;
/** The folder holding `node` of a pinned version (installed or not). */
export declare function nodeBinDir(version: string): string;
/** The pinned version of a major ("24" → "24.22.3"); a full version is returned as is. */
export declare function pinnedVersion(majorOrVersion: string): string;
/** Installs one version into the cache unless it is there; returns its bin folder. */
export declare function installNode(version: string): string;
