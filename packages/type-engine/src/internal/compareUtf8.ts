/**
 * Orders strings by their UTF-8 bytes, which is Unicode code point order: the order of
 * protobuf's deterministic map serialization and of Python's `sorted()` on `str`.
 *
 * JavaScript's `<` compares UTF-16 code units, which differs for characters above U+FFFF
 * (surrogate pairs, 0xD800–0xDFFF) against U+E000–U+FFFF: a surrogate sorts first in UTF-16 but
 * its character is the larger code point. Shifting the two ranges past each other fixes it.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** Whether `keys` are already in {@link compareUtf8} order (strictly ascending). */
export function isSortedUtf8(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) {
    if (compareUtf8(keys[i - 1]!, keys[i]!) >= 0) return false;
  }
  return true;
}

/** `keys` sorted by {@link compareUtf8}, as a new array. */
export function sortedUtf8(keys: readonly string[]): string[] {
  return [...keys].sort(compareUtf8);
}
