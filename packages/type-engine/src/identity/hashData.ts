/** Python's `hash_data`: standard padded base64 of sha256 (strings as UTF-8). */
export function hashData(data: string | Uint8Array): string {
  // `node:crypto` is loaded on first use, not at import: keeps import("@flyte/sdk") light.
  return process.getBuiltinModule("node:crypto").createHash("sha256").update(data).digest("base64");
}
