import { EntrypointError } from "../entrypoint/EntrypointError.js";

/**
 * Turns a command-line string into the value a task parameter wants. With a default to go by,
 * the default's type decides (`n = 3` → a number, `flag = false` → a boolean, `s = "x"` → the
 * string as given). Without one, JSON wins where it parses (`3`, `true`, `null`, `[1,2]`,
 * `{"a":1}`) and anything else stays a string.
 *
 * @param name the parameter, named in the error when the value cannot be what the default says
 */
export function coerceValue(raw: string | true, name: string, defaultText?: string): unknown {
  if (raw === true) return true;
  const kind = defaultText === undefined ? undefined : kindOf(defaultText);
  switch (kind) {
    case "string":
      return raw;
    case "number": {
      const n = raw.trim() === "" ? Number.NaN : Number(raw);
      if (Number.isNaN(n)) {
        throw new EntrypointError(`--${name} wants a number, got ${JSON.stringify(raw)}`, {
          source: `--${name}`,
        });
      }
      return n;
    }
    case "boolean": {
      const v = raw.toLowerCase();
      if (["true", "1", "yes", "y", "on"].includes(v)) return true;
      if (["false", "0", "no", "n", "off"].includes(v)) return false;
      throw new EntrypointError(`--${name} wants true or false, got ${JSON.stringify(raw)}`, {
        source: `--${name}`,
      });
    }
    case "json":
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        throw new EntrypointError(`--${name} wants JSON, got ${JSON.stringify(raw)}`, {
          source: `--${name}`,
        });
      }
    default:
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return raw;
      }
  }
}

function kindOf(text: string): "string" | "number" | "boolean" | "json" | undefined {
  if (/^(['"`]).*\1$/s.test(text)) return "string";
  if (text === "true" || text === "false") return "boolean";
  if (/^-?(\d[\d_]*)(\.\d+)?(e[+-]?\d+)?$/i.test(text)) return "number";
  if (text.startsWith("[") || text.startsWith("{")) return "json";
  return undefined;
}
