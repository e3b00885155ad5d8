import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The local file path a URI names (a bare path or `file://`), or `undefined` for any other scheme. */
export function localPathOf(uri: string): string | undefined {
  if (uri.startsWith("file://")) return fileURLToPath(uri);
  if (/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(uri)) return undefined;
  return isAbsolute(uri) ? uri : resolve(uri);
}
