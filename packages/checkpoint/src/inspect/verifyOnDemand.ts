import { loadEngineAsync } from "../lazy/engineModule.js";
import type { CheckpointVerification, VerifyOptions } from "./verifyCheckpoint.js";

/**
 * Reads the checkpoint at `uri` the way `load()` does, without restoring it: the same
 * manifest rule, checksums, gzip and tar checks, entry rules and limits, in one streaming
 * pass (linear in the object, bounded by the limits for a bomb), with file contents dropped
 * instead of written (a scratch folder holds the empty structure, so links are resolved as a
 * restore would). Damage and refusals are reported in `problem`, never thrown; a storage that
 * cannot be read (permissions, outage, configuration) throws its typed error.
 */
export async function verifyCheckpoint(
  uri: string,
  options: VerifyOptions = {},
): Promise<CheckpointVerification> {
  // The engine is loaded on first use: keeps import("@flyte/checkpoint") light.
  return (await loadEngineAsync()).verifyCheckpoint(uri, options);
}
