import { createHash } from "node:crypto";

/** Python's `hash_data`: standard padded base64 of sha256 (strings as UTF-8). */
export function hashData(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("base64");
}
