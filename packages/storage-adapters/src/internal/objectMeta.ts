import type { ObjectMeta } from "../Storage.js";

/** An ObjectMeta with only the fields the backend gave (no `undefined` members). */
export function objectMeta(
  key: string,
  size: number,
  etag: string | undefined,
  lastModified?: Date,
): ObjectMeta {
  return {
    key,
    size,
    ...(etag !== undefined ? { etag } : {}),
    ...(lastModified !== undefined ? { lastModified } : {}),
  };
}
