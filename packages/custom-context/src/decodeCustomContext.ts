import { CustomContextError, showKey } from "./errors.js";
import { crc32Hex } from "./internal/crc32.js";
import { fromBase64Url } from "./internal/base64url.js";
import { EMPTY_MAP, checkKey, rememberSize, validatedMerge } from "./internal/validatedMerge.js";
import { CUSTOM_CONTEXT_WIRE_VERSION, maxCustomContextWireLength } from "./wireFormat.js";

/**
 * The map an {@link encodeCustomContext} text holds, frozen. Strict: the length is checked
 * against the current limits before anything is decoded; then the base64url, the UTF-8, the JSON
 * shape, the version, the checksum, duplicate keys, and finally every key, value and limit as a
 * scope would check them.
 *
 * @throws {CustomContextError} `WIRE_TOO_LARGE`, `WIRE_MALFORMED`, `WIRE_VERSION`,
 *   `WIRE_TAMPERED`, `WIRE_DUPLICATE_KEY`, or any code a scope refuses a map with.
 */
export function decodeCustomContext(text: string): Readonly<Record<string, string>> {
  if (typeof text !== "string") {
    throw malformed(`the wire form must be a string, got ${text === null ? "null" : typeof text}`);
  }
  const maxLength = maxCustomContextWireLength();
  if (text.length > maxLength) {
    throw new CustomContextError(
      "WIRE_TOO_LARGE",
      `the custom context wire form is ${text.length} characters, longer than any valid one under the current limits (${maxLength})`,
    );
  }
  const bytes = fromBase64Url(text);
  if (bytes === undefined) throw malformed("the wire form is not canonical unpadded base64url");
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (cause) {
    throw malformed("the wire form does not hold UTF-8 JSON", cause);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw malformed("the wire form must hold a JSON object");
  }
  const record = parsed as Record<string, unknown>;
  // The version first: a newer writer may use another shape, and "unsupported version" is the
  // useful thing to say then.
  if (record.v !== CUSTOM_CONTEXT_WIRE_VERSION) {
    throw new CustomContextError(
      "WIRE_VERSION",
      `the custom context wire form has version ${JSON.stringify(record.v) ?? "(none)"}; this build reads version ${CUSTOM_CONTEXT_WIRE_VERSION}`,
    );
  }
  const fields = Object.keys(record);
  const unknown = fields.find((f) => f !== "v" && f !== "entries" && f !== "crc32");
  if (unknown !== undefined) throw malformed(`unknown field ${JSON.stringify(unknown)}`);
  const { entries, crc32 } = record;
  if (!Array.isArray(entries)) throw malformed('"entries" must be an array');
  if (typeof crc32 !== "string" || !/^[0-9a-f]{8}$/.test(crc32)) {
    throw malformed('"crc32" must be 8 lower-case hex digits');
  }
  for (const entry of entries as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 2) {
      throw malformed("each entry must be a [key, value] pair");
    }
  }
  const pairs = entries as Array<[unknown, unknown]>;
  if (crc32Hex(new TextEncoder().encode(JSON.stringify(pairs))) !== crc32) {
    throw new CustomContextError(
      "WIRE_TAMPERED",
      "the custom context wire form's checksum does not match its entries: it was edited or corrupted",
    );
  }
  // Keys are checked before they are used as property names, so none can touch a prototype.
  const seen = new Set<string>();
  const values: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of pairs) {
    checkKey(key);
    if (seen.has(key)) {
      throw new CustomContextError(
        "WIRE_DUPLICATE_KEY",
        `the custom context wire form names key ${showKey(key)} twice`,
        { key },
      );
    }
    seen.add(key);
    values[key] = value;
  }
  const merged = validatedMerge(EMPTY_MAP, values);
  const frozen = Object.freeze(merged.map);
  rememberSize(frozen, merged.size);
  return frozen;
}

function malformed(message: string, cause?: unknown): CustomContextError {
  return new CustomContextError(
    "WIRE_MALFORMED",
    `malformed custom context wire form: ${message}`,
    cause === undefined ? undefined : { cause },
  );
}
