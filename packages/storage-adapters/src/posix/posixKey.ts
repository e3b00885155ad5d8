import { InvalidKeyError } from "../errors.js";

/** Names the adapter uses for its own temp files; keys may not use them and `list` hides them. */
export const TEMP_PREFIX = ".flyte-tmp.";

/**
 * Checks a key (or, with `allowTrailingSlash`, a list prefix) and returns its `/` segments.
 * Anything that could leave the root or alias another key is refused here, before any I/O:
 * `..` and `.` segments, absolute paths, empty segments, NUL bytes and backslashes on Windows.
 */
export function posixKeySegments(
  key: unknown,
  uri: string,
  options: { allowEmpty?: boolean } = {},
): string[] {
  if (typeof key !== "string")
    throw new InvalidKeyError(uri, `a key must be a string, got ${typeof key}`);
  if (key === "") {
    if (options.allowEmpty) return [];
    throw new InvalidKeyError(uri, "the key is empty");
  }
  if (key.includes("\0")) throw new InvalidKeyError(uri, "it contains a NUL byte");
  if (key.startsWith("/"))
    throw new InvalidKeyError(uri, "it is an absolute path; keys are relative to the root");
  if (process.platform === "win32" && (key.includes("\\") || /^[a-zA-Z]:/.test(key))) {
    throw new InvalidKeyError(uri, "backslashes and drive letters are not allowed in keys");
  }
  const segments = key.split("/");
  segments.forEach((segment, index) => {
    if (segment === "..")
      throw new InvalidKeyError(uri, "it contains a `..` segment, which could escape the root");
    if (segment === ".") throw new InvalidKeyError(uri, "it contains a `.` segment");
    if (segment === "" && index !== segments.length - 1)
      throw new InvalidKeyError(uri, "it contains an empty segment (`//`)");
    if (segment.startsWith(TEMP_PREFIX))
      throw new InvalidKeyError(uri, `names starting with ${TEMP_PREFIX} are reserved`);
  });
  if (segments[segments.length - 1] === "") {
    if (options.allowEmpty) return segments.slice(0, -1);
    throw new InvalidKeyError(uri, "it ends with `/`, which names a folder, not an object");
  }
  return segments;
}
