/** The fence convention: what each block's info string says, and which blocks are refused. */
import { blockProblem, commandLines, nodeSatisfies, readmeBlocks } from "../src/readmeBlocks.js";

const README = [
  "# Title",
  "",
  "```sh alternatives",
  "npm install x   # a comment stays",
  "pnpm add x",
  "```",
  "",
  "- a list item:",
  "",
  "  ```ts file=tasks.mts esm",
  "  export const a = 1;",
  "  ```",
  "",
  '```js skip="only a sketch"',
  "sketch();",
  "```",
  "",
  "```text output",
  "6",
  "```",
  "",
  "```ts",
  "fragment();",
  "```",
].join("\n");

describe("readmeBlocks", () => {
  const blocks = readmeBlocks(README);

  it("finds every fence, nested ones too, with its line and attributes", () => {
    expect(blocks.map((b) => [b.line, b.lang, b.kind, b.attrs, b.kinds])).toEqual([
      [3, "sh", "commands", { alternatives: "true" }, ["esm", "cjs"]],
      [10, "ts", "code", { file: "tasks.mts", esm: "true" }, ["esm"]],
      [14, "js", "code", { skip: "only a sketch" }, ["esm", "cjs"]],
      [18, "text", "output", { output: "true" }, ["esm", "cjs"]],
      [22, "ts", "code", {}, ["esm", "cjs"]],
    ]);
    expect(blocks[1]!.content).toBe("export const a = 1;\n");
  });

  it("refuses a code block that says neither file= nor skip=, and an output block after code", () => {
    expect(blocks.map((b, i) => blockProblem(b, blocks[i - 1]))).toEqual([
      undefined,
      undefined,
      undefined,
      "an output block must follow a command block",
      'a ts block needs file=<name> (written into the project) or skip="<why it is not run>"',
    ]);
  });

  it("refuses a skip without its reason", () => {
    const [b] = readmeBlocks("```ts skip\nx\n```\n");
    expect(blockProblem(b!, undefined)).toMatch(/skip needs a reason/);
  });
});

describe("commandLines", () => {
  it("joins continued lines and drops blank and comment lines", () => {
    expect(commandLines("# set up\nA=1 \\\n  node x.js\n\nnpm test  # trailing comment\n")).toEqual(
      ["A=1    node x.js", "npm test  # trailing comment"],
    );
  });
});

describe("nodeSatisfies", () => {
  it("compares major and minor", () => {
    expect(
      ["v22.17.0", "v22.18.0", "v24.1.0", "v20.20.2"].map((v) => nodeSatisfies(">=22.18", v)),
    ).toEqual([false, true, true, false]);
  });
});
