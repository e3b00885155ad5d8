/**
 * Normalises a value that a platform substitutes into a template: `undefined`, `null`, `""`,
 * whitespace, the literal `'""'` the Flyte backend sends for "none", and an unsubstituted
 * `{{...}}` placeholder all mean "absent" and become `undefined`. Anything else is trimmed.
 */
export function normalizeTemplateValue(value: string | null | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  let v = value.trim();
  // The backend sends '""' (and sometimes "''") for "no value".
  while (
    v.length >= 2 &&
    ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))
  ) {
    v = v.slice(1, -1).trim();
  }
  if (v.length === 0) return undefined;
  // Any "{{" is a placeholder the platform did not substitute (closed or cut short, alone or
  // inside a path): no real name or URI holds one, and the Python SDK checks the prefix only.
  if (v.includes("{{")) return undefined;
  return v;
}
