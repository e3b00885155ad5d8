/** One parameter of a task function, as read from its source text. */
export interface ParameterInfo {
  /** The name, or `undefined` for a destructured parameter. */
  readonly name: string | undefined;
  /** The default's source text (`3`, `"x"`, `true`), when it has one. */
  readonly defaultText?: string;
  /** `...rest` */
  readonly rest: boolean;
}

/**
 * Reads the parameter list of a function from its source text (`Function.prototype.toString`),
 * because types are erased at run time and names and defaults are all a CLI can learn. Works for
 * functions, async functions, arrows and methods as tsx and tsc emit them.
 */
export function parameterList(fn: (...args: never[]) => unknown): ParameterInfo[] {
  const src = Function.prototype.toString.call(fn);
  const inner = paramsText(src);
  if (inner === undefined) return [];
  return splitTopLevel(inner)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map(parseParam);
}

function paramsText(src: string): string | undefined {
  // An arrow with one bare parameter: `x => ...` / `async x => ...`
  const bare = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (bare) return bare[1];
  const open = src.indexOf("(");
  if (open < 0) return undefined;
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < src.length; i++) {
    const c = src[i]!;
    if (quote !== undefined) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return src.slice(open + 1, i);
    }
  }
  return undefined;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function parseParam(text: string): ParameterInfo {
  const stripped = text.replace(/\/\*[\s\S]*?\*\//g, "").trim();
  const rest = stripped.startsWith("...");
  const body = rest ? stripped.slice(3).trim() : stripped;
  const m = /^([A-Za-z_$][\w$]*)\s*(?:=\s*([\s\S]+))?$/.exec(body);
  if (!m) return { name: undefined, rest };
  return m[2] === undefined ? { name: m[1], rest } : { name: m[1], defaultText: m[2].trim(), rest };
}
