import type { Checksum } from "./createChecksum.js";
import { CheckpointChecksumError } from "../errors.js";
import { manifestChecksum } from "../manifest.js";
import type { CheckpointManifest } from "../manifest.js";

/**
 * The error for an object whose size or checksum disagrees with the manifest that vouches for
 * it: what the manifest expects and what was read, under the algorithm the manifest chose.
 */
export function checksumMismatch(
  uri: string,
  manifest: CheckpointManifest,
  sum: Checksum,
  size: number,
): CheckpointChecksumError {
  const actual = { size, [sum.algorithm]: sum.digest() };
  const expected = { size: manifest.size, [sum.algorithm]: manifestChecksum(manifest).digest };
  return new CheckpointChecksumError(uri, expected, actual);
}
