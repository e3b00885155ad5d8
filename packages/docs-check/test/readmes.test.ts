/**
 * Every README a user reads, run as a user would: each in a fresh CommonJS project (`npm init
 * -y`) and a fresh ESM one, against the packed packages. See this package's README for what
 * the fences say. A failure names the README, the block's line, the command and its output.
 */
import { readFileSync } from "node:fs";
import { FreshProject } from "../src/freshProject.js";
import { harness } from "../src/harness.js";
import { blockProblem, readmeBlocks, type ModuleKind } from "../src/readmeBlocks.js";
import { userReadmes } from "../src/readmes.js";
import { alternativesOf, checkCommand, refuseGlobal, runReadme } from "../src/runReadme.js";

const READMES = userReadmes();
const KINDS: ModuleKind[] = ["cjs", "esm"];

describe.each(READMES)("$label", ({ path, label }) => {
  it("says for every code block what it is for", () => {
    const blocks = readmeBlocks(readFileSync(path, "utf8"));
    const problems = blocks
      .map((b, i) => [b, blockProblem(b, blocks[i - 1])] as const)
      .filter(([, p]) => p !== undefined)
      .map(([b, p]) => `${label}:${b.line} (${b.lang || "no language"}): ${p}`);
    expect(problems).toEqual([]);
  });

  // The two projects run at the same time: installs wait on the network more than on the CPU.
  it("runs as shown in a fresh CommonJS project and a fresh ESM project", async () => {
    const h = harness();
    const results = await Promise.allSettled(
      KINDS.map((kind) =>
        runReadme({ path, label, kind, base: h.base, npmrc: h.npmrc, extraPath: h.extraPath }),
      ),
    );
    const failures: string[] = [];
    for (const r of results) {
      if (r.status === "rejected")
        failures.push(r.reason instanceof Error ? r.reason.message : String(r.reason));
      else for (const s of r.value.skipped) process.stderr.write(`docs-check: skipped ${s}\n`);
    }
    if (failures.length) throw new Error(failures.join("\n\n"));
  });

  const alternatives = alternativesOf(path);
  if (alternatives.length) {
    it.each(alternatives)(
      "line $line: `$command` works in a fresh project",
      async ({ line, command }) => {
        const h = harness();
        const name = `${label.replace(/[^\w]+/g, "-")}-alt-${command.split(/\s+/)[0]}-${line}`;
        const project = await FreshProject.create(h.base, name, "cjs", h.npmrc, h.extraPath);
        const block = readmeBlocks(readFileSync(path, "utf8")).find((b) => b.line === line)!;
        refuseGlobal(command, block, `${label}:${line}`, "cjs");
        checkCommand(await project.run(command), block, `${label}:${line}`, "cjs");
      },
    );
  }
});
