import { hashData } from "./hashData.js";

/**
 * The cache key (flyte-sdk `generate_cache_key_hash`):
 * base64(sha256(`"{inputsHash}{taskName}{interfaceHash}{cacheVersion}"`)). Pass the inputs hash
 * of the inputs that are not cache-ignored.
 */
export function cacheKey(
  inputsHash: string,
  taskName: string,
  interfaceHash: string,
  cacheVersion: string,
): string {
  return hashData(`${inputsHash}${taskName}${interfaceHash}${cacheVersion}`);
}
