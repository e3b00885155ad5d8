import type { ChecksumAlgorithm } from "./checksum/createChecksum.js";
import type { ExtractionLimits } from "./limits.js";
import type { CheckpointFormat } from "./manifest.js";

/** What the save and restore routines need from their `Checkpoint`. */
export interface IoContext {
  /** zlib level for directory archives. */
  readonly compressionLevel: number;
  /** The checksum new manifests record. */
  readonly checksum: ChecksumAlgorithm;
  readonly limits: ExtractionLimits;
  readonly attempt: number | undefined;
  readonly warn: (message: string) => void;
}

/** What a restore produced, before it is moved into the workspace. */
export interface Restored {
  readonly format: CheckpointFormat;
  /** Whether a current manifest vouched for the object and its size and checksum matched. */
  readonly verified: boolean;
  /** The staging folder holding the restored tree, or a single file named `payload`. */
  readonly tree: string;
}

/** The name of the file a bytes or file checkpoint is restored to (as in Python). */
export const PAYLOAD = "payload";
