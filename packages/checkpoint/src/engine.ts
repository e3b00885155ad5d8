/**
 * The checkpoint engine: tar, gzip, checksums, streams and the sync bridge's worker, everything
 * `save`/`load` and `verifyCheckpoint` run. The build emits it as its own file, loaded on the
 * first call (`lazy/engineModule.ts`): importing `@flyte/checkpoint` (or `@flyte/sdk`) parses
 * none of it and loads none of `node:zlib`, `node:stream` or `node:worker_threads`.
 */
export { restoreObject } from "./restoreObject.js";
export { restoreObjectSync } from "./restoreObjectSync.js";
export { storeObject } from "./storeObject.js";
export { storeObjectSync } from "./storeObjectSync.js";
export { verifyCheckpoint } from "./inspect/verifyCheckpoint.js";
