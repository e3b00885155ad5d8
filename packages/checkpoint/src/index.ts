/**
 * @flyte/checkpoint: durable task state across retries, wire-compatible with the Flyte Python
 * SDK, with integrity checks, safe extraction and streaming for large checkpoints.
 */
export { Checkpoint } from "./Checkpoint.js";
export type { ChecksumAlgorithm } from "./checksum/createChecksum.js";
export type { CheckpointCallOptions, CheckpointLoadInfo, CheckpointOptions } from "./Checkpoint.js";
export type { CheckpointDigest } from "./errors.js";
export {
  CheckpointAbortedError,
  CheckpointAccessError,
  CheckpointChecksumError,
  CheckpointConfigurationError,
  CheckpointCorruptError,
  CheckpointError,
  CheckpointFormatError,
  CheckpointInputError,
  CheckpointNoSpaceError,
  CheckpointReadOnlyError,
  CheckpointStateError,
  CheckpointTooLargeError,
  CheckpointUnavailableError,
  CheckpointUnsafeEntryError,
  CheckpointUnsupportedEntryError,
} from "./errors.js";
export { defaultExtractionLimits } from "./limits.js";
export type { ExtractionLimits } from "./limits.js";
export { manifestKey } from "./manifest.js";
export type {
  CheckpointFormat,
  CheckpointManifest,
  CheckpointVersion,
  UnsummedVersion,
} from "./manifest.js";
export { normalizeCheckpointUri } from "./normalizeSource.js";
export type { CheckpointStorageOption, StorageResolver } from "./storageAccess.js";
export { verifyCheckpoint } from "./inspect/verifyOnDemand.js";
export type {
  CheckpointEntry,
  CheckpointVerification,
  VerifyOptions,
} from "./inspect/verifyCheckpoint.js";
