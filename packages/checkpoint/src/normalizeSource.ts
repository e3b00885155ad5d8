/**
 * Normalizes a checkpoint URI as the platform passes it. The Flyte backend sends `""` (the
 * literal two quote characters) or an empty string on a first attempt, and a template that was
 * never substituted arrives as `{{.prevCheckpointPrefix}}`; all of these mean "none".
 *
 * @returns the trimmed URI, or `undefined` when it names no checkpoint.
 */
export function normalizeCheckpointUri(uri: string | null | undefined): string | undefined {
  if (uri === undefined || uri === null) return undefined;
  // Python: `checkpoint_src.strip().strip('"')`; strip quotes and whitespace alternately so
  // `' "" '` and `"\"\" "` are both empty.
  let s = uri.trim();
  let previous: string;
  do {
    previous = s;
    s = s.replace(/^["']+|["']+$/g, "").trim();
  } while (s !== previous);
  if (s === "") return undefined;
  // Any "{{" is an unsubstituted placeholder, closed or cut short (as context-core's rule).
  if (s.includes("{{")) return undefined;
  return s;
}
