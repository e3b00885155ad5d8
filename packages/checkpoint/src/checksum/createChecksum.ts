import { createHash } from "node:crypto";
import { crc32 } from "./crc32.js";

/**
 * The checksum a manifest records. `crc32` (the default) detects corruption and truncation
 * (every burst error up to 32 bits, all but 1 in 4 billion others) at several GB/s; `sha256`
 * is a cryptographic digest that costs as much time as copying the bytes. Neither makes a
 * checkpoint tamper-proof: whoever can rewrite the object can rewrite its manifest too.
 */
export type ChecksumAlgorithm = "crc32" | "sha256";

/** An incremental checksum. */
export interface Checksum {
  readonly algorithm: ChecksumAlgorithm;
  /** Adds bytes; the chunk is not kept (the caller may reuse its buffer). */
  update(chunk: Uint8Array): void;
  /** Lowercase hex: 8 digits for `crc32`, 64 for `sha256`. May be called again (same answer). */
  digest(): string;
}

/** A fresh incremental checksum of `algorithm`. */
export function createChecksum(algorithm: ChecksumAlgorithm): Checksum {
  if (algorithm === "sha256") {
    const hash = createHash("sha256");
    let digest: string | undefined;
    return {
      algorithm,
      update: (chunk) => void hash.update(chunk),
      // A crypto Hash finalizes on its first digest; later calls get the same answer.
      digest: () => (digest ??= hash.digest("hex")),
    };
  }
  let crc = 0;
  return {
    algorithm,
    update: (chunk) => {
      crc = crc32(chunk, crc);
    },
    digest: () => crc.toString(16).padStart(8, "0"),
  };
}
