/**
 * Unpadded base64url (RFC 4648 §5) over the platform's `btoa`/`atob`, so the package needs no
 * Node `Buffer`. Decoding is strict: only the alphabet, no padding or whitespace, and only the
 * canonical spelling (so two texts never decode to the same bytes).
 */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const ALPHABET = /^[A-Za-z0-9_-]*$/;

/** The bytes of `text`, or `undefined` when it is not canonical unpadded base64url. */
export function fromBase64Url(text: string): Uint8Array | undefined {
  if (!ALPHABET.test(text) || text.length % 4 === 1) return undefined;
  let binary: string;
  try {
    binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // Unused low bits of the last character must be zero: re-encoding must give the same text.
  if (toBase64Url(bytes) !== text) return undefined;
  return bytes;
}
