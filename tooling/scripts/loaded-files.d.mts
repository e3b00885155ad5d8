/** Types of loaded-files.mjs, for the TypeScript that imports it (benchmarks). */
/** The first of `nodes` (paths to `node` binaries) that exists and has `module.registerHooks`. */
export declare function nodeWithRegisterHooks(nodes: readonly string[]): string | undefined;
/** The files `load` reads when run by `node` in `cwd`, in load order, as `[path, bytes]`. */
export declare function loadedFiles(node: string, cwd: string, load: string): [string, number][];
