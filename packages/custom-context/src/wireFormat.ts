import { customContextLimits } from "./limits.js";

/** The wire version {@link encodeCustomContext} writes and {@link decodeCustomContext} reads. */
export const CUSTOM_CONTEXT_WIRE_VERSION = 1;

/**
 * The longest text {@link decodeCustomContext} will look at under the current limits: the
 * largest valid encoding (every content byte JSON-escaped to 6 characters, plus per-entry and
 * header overhead), in base64url. About 65 KB with the default limits. Longer input is refused
 * before it is decoded or parsed.
 */
export function maxCustomContextWireLength(): number {
  const { maxEntries, maxBytes } = customContextLimits();
  const maxJsonBytes = 6 * maxBytes + 8 * maxEntries + 64;
  return Math.ceil((maxJsonBytes * 4) / 3);
}
