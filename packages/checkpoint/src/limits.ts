import { CheckpointTooLargeError } from "./errors.js";

/**
 * Guards against archives that expand far beyond what they claim (gzip bombs) or fill the disk.
 * The defaults never stop a real checkpoint: deflate cannot exceed ~1032:1 on its own, so the
 * ratio guard only catches pathological, almost all-zero streams past the grace size.
 */
export interface ExtractionLimits {
  /** Most bytes a restored directory may expand to. @default 1 TiB */
  readonly maxBytes: number;
  /** Most archive entries. @default 10,000,000 */
  readonly maxEntries: number;
  /** Highest expanded : compressed ratio, checked once `ratioGraceBytes` have expanded. @default 500 */
  readonly maxRatio: number;
  /** Bytes that may expand before the ratio is checked. @default 1 GiB */
  readonly ratioGraceBytes: number;
}

/** The limits used when none are given. */
export const defaultExtractionLimits: ExtractionLimits = Object.freeze({
  maxBytes: 2 ** 40,
  maxEntries: 10_000_000,
  maxRatio: 500,
  ratioGraceBytes: 2 ** 30,
});

/** Throws {@link CheckpointTooLargeError} when `expanded` bytes from `compressed` break a limit. */
export function checkExpansion(
  uri: string,
  limits: ExtractionLimits,
  expanded: number,
  compressed: number,
): void {
  if (expanded > limits.maxBytes) {
    throw new CheckpointTooLargeError(
      uri,
      `checkpoint expands past the limit of ${limits.maxBytes} bytes`,
    );
  }
  if (expanded > limits.ratioGraceBytes && expanded > limits.maxRatio * Math.max(compressed, 1)) {
    throw new CheckpointTooLargeError(
      uri,
      `checkpoint expands more than ${limits.maxRatio}:1 (${expanded} bytes from ${compressed}); refusing a likely gzip bomb`,
    );
  }
}
