/** A README whose blocks fail fails the test, and the message says where and what. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { harness } from "../src/harness.js";
import { ReadmeFailure, runReadme } from "../src/runReadme.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "flyte-docs-check-readme-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readme(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function failureOf(path: string, kind: "esm" | "cjs" = "cjs"): Promise<string> {
  const h = harness();
  const err = await runReadme({
    path,
    label: "X.md",
    kind,
    base: h.base,
    npmrc: h.npmrc,
    extraPath: h.extraPath,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ReadmeFailure);
  return (err as Error).message;
}

describe("runReadme", () => {
  it("names the README line, the command and its output when a command fails", async () => {
    const msg = await failureOf(
      readme(
        "fail.md",
        "text\n\n```sh\necho ok\nnode -e 'console.error(\"boom\"); process.exit(4)'\n```\n",
      ),
    );
    expect(msg).toContain("X.md:3 (sh block, fresh CommonJS (npm init -y) project");
    expect(msg).toContain("`node -e 'console.error(\"boom\"); process.exit(4)'` exited 4");
    expect(msg).toContain("--- stderr ---\nboom");
  });

  it("compares an output block with what the command printed", async () => {
    const msg = await failureOf(
      readme(
        "out.md",
        "```js file=a.cjs\nconsole.log(1 + 1)\n```\n\n```sh\nnode a.cjs\n```\n\n```text output\n3\n```\n",
      ),
    );
    expect(msg).toContain("X.md:9 (output of X.md:5");
    expect(msg).toContain("--- expected (the README) ---\n3\n--- stdout ---\n2");
  });

  it("runs the CommonJS form a README shows, and refuses ESM syntax in a CommonJS project", async () => {
    const path = readme(
      "kind.md",
      '```js file=a.js\nimport { readFileSync } from "node:fs";\n```\n\n```sh\nnode a.js\n```\n',
    );
    const h = harness();
    await expect(
      runReadme({ path, label: "X.md", kind: "esm", base: h.base, npmrc: h.npmrc }),
    ).resolves.toEqual({ ran: 1, skipped: [] });
    // On Node 22+ a .js file without "type" is detected as ESM, but npm init -y says "commonjs".
    expect(await failureOf(path, "cjs")).toContain("X.md:5");
  });

  it("refuses a global install before running it", async () => {
    const msg = await failureOf(readme("global.md", "```sh\nnpm install -g left-pad\n```\n"));
    expect(msg).toContain("installs globally; it was not run");
  });
});
