/**
 * The fenced code blocks of a README and what the fence's info string says to do with each
 * (the convention is in this package's README).
 */
import MarkdownIt from "markdown-it";

/** A project kind a block applies to. */
export type ModuleKind = "esm" | "cjs";

/** One fenced block. */
export interface ReadmeBlock {
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The first word of the info string (`sh`, `ts`, ...), lower-cased; "" when none. */
  readonly lang: string;
  /** `key=value` / `key="value"` words after the language; a bare word is `"true"`. */
  readonly attrs: Readonly<Record<string, string>>;
  readonly content: string;
  readonly kind: "commands" | "code" | "output" | "other";
  /** The project kinds it runs in: both unless it names `esm` or `cjs`. */
  readonly kinds: readonly ModuleKind[];
}

const SHELL = new Set(["sh", "bash", "shell", "console"]);
const CODE = new Set([
  "ts",
  "typescript",
  "js",
  "javascript",
  "mjs",
  "cjs",
  "mts",
  "cts",
  "jsx",
  "tsx",
]);
const ATTR = /([A-Za-z][\w-]*)(?:=(?:"([^"]*)"|(\S+)))?/g;

/** Every fenced block of `markdown`, in order, with its attributes. */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const md = new MarkdownIt();
  const out: ReadmeBlock[] = [];
  for (const token of md.parse(markdown, {})) {
    if (token.type !== "fence" || token.map === null) continue;
    const info = token.info.trim();
    const [langWord = "", ...rest] = info.split(/\s+/);
    const lang = langWord.toLowerCase();
    const attrs: Record<string, string> = {};
    for (const m of rest.join(" ").matchAll(ATTR)) attrs[m[1]!] = m[2] ?? m[3] ?? "true";
    const kind = SHELL.has(lang)
      ? "commands"
      : CODE.has(lang)
        ? "code"
        : attrs["output"] !== undefined
          ? "output"
          : "other";
    const named = (["esm", "cjs"] as const).filter((k) => attrs[k] !== undefined);
    out.push({
      line: token.map[0] + 1,
      lang,
      attrs,
      content: token.content,
      kind,
      kinds: named.length ? named : ["esm", "cjs"],
    });
  }
  return out;
}

/** The command lines of a shell block: `\`-continued lines joined, blank and `#` lines dropped. */
export function commandLines(content: string): string[] {
  const out: string[] = [];
  let pending = "";
  for (const raw of content.split("\n")) {
    const line = pending + raw;
    if (/\\\s*$/.test(line)) {
      pending = line.replace(/\\\s*$/, " ");
      continue;
    }
    pending = "";
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    out.push(trimmed);
  }
  if (pending.trim() !== "") out.push(pending.trim());
  return out;
}

/**
 * What is wrong with a block's attributes, or undefined: a code block must say what it is for
 * (`file=` to be written, or `skip="why"`), a skip needs its reason, an output block must
 * follow a command block.
 */
export function blockProblem(
  block: ReadmeBlock,
  previous: ReadmeBlock | undefined,
): string | undefined {
  const skip = block.attrs["skip"];
  if (skip !== undefined && (skip === "true" || skip.trim() === "")) {
    return 'skip needs a reason: skip="why this block is not run"';
  }
  if (block.kind === "code" && skip === undefined && block.attrs["file"] === undefined) {
    return `a ${block.lang} block needs file=<name> (written into the project) or skip="<why it is not run>"`;
  }
  if (block.kind === "output" && previous?.kind !== "commands") {
    return "an output block must follow a command block";
  }
  const node = block.attrs["node"];
  if (node !== undefined && parseNodeRange(node) === undefined) {
    return `node=${JSON.stringify(node)} is not a ">=MAJOR.MINOR" range`;
  }
  return undefined;
}

/** `">=22.18"` → [22, 18]; undefined when it is not of that form. */
export function parseNodeRange(range: string): [number, number] | undefined {
  const m = /^>=\s*(\d+)(?:\.(\d+))?$/.exec(range.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : undefined;
}

/** Whether `version` (`process.version`) satisfies a `node=">=X.Y"` attribute. */
export function nodeSatisfies(range: string, version: string = process.version): boolean {
  const want = parseNodeRange(range);
  if (want === undefined) return false;
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  return major > want[0] || (major === want[0] && minor >= want[1]);
}
