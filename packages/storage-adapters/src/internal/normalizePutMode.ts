import type { PutMode } from "../Storage.js";
import { InvalidArgumentError } from "../errors.js";

/** A put mode after validation: the three shapes `PutMode` allows, and nothing else. */
export type NormalizedPutMode =
  | { readonly kind: "overwrite" }
  | { readonly kind: "create" }
  | { readonly kind: "ifMatch"; readonly etag: string };

/**
 * Checks `mode` at the moment it is given. An unknown mode is refused rather than treated as
 * "overwrite", which would silently clobber what a caller meant to protect.
 */
export function normalizePutMode(mode: unknown, uri: string): NormalizedPutMode {
  if (mode === undefined || mode === "overwrite") return { kind: "overwrite" };
  if (mode === "create") return { kind: "create" };
  if (typeof mode === "object" && mode !== null && "ifMatch" in mode) {
    const etag = (mode as { ifMatch: unknown }).ifMatch;
    if (typeof etag === "string" && etag.length > 0) return { kind: "ifMatch", etag };
    throw new InvalidArgumentError(uri, "mode.ifMatch must be a non-empty etag string");
  }
  throw new InvalidArgumentError(
    uri,
    `unknown put mode ${JSON.stringify(mode) ?? String(mode)}; use "overwrite", "create" or { ifMatch: etag }`,
  );
}

/** The `PutMode` a normalized mode came from (for messages and forwarding). */
export function describePutMode(mode: NormalizedPutMode): PutMode {
  return mode.kind === "ifMatch" ? { ifMatch: mode.etag } : mode.kind;
}
