import { crc32Hex } from "./internal/crc32.js";
import { toBase64Url } from "./internal/base64url.js";
import { EMPTY_MAP, validatedMerge } from "./internal/validatedMerge.js";
import { CUSTOM_CONTEXT_WIRE_VERSION } from "./wireFormat.js";

/**
 * The wire form of a custom context map, for crossing a process boundary (a command-line
 * argument, an environment variable, a file): unpadded base64url of the UTF-8 JSON
 *
 * ```json
 * {"v":1,"entries":[["key","value"],...],"crc32":"<8 hex digits>"}
 * ```
 *
 * with the entries in the map's order and `crc32` the CRC-32 of the UTF-8 of
 * `JSON.stringify(entries)`. ASCII only, so it is safe in argv, env and URLs. The checksum catches
 * corruption and hand edits; it is not a signature (anyone can recompute it).
 *
 * @throws {CustomContextError} when `map` would be refused by a scope (same checks and limits).
 */
export function encodeCustomContext(map: Readonly<Record<string, string>>): string {
  const checked = validatedMerge(EMPTY_MAP, map).map;
  const entries = Object.entries(checked);
  const encoder = new TextEncoder();
  const crc32 = crc32Hex(encoder.encode(JSON.stringify(entries)));
  const json = JSON.stringify({ v: CUSTOM_CONTEXT_WIRE_VERSION, entries, crc32 });
  return toBase64Url(encoder.encode(json));
}
