/**
 * A task bundled with esbuild the way the sdk README says to (the user's code in the bundle, the
 * packages external: `packages: "external"`), run beside the project's node_modules: the SDK's
 * parts that load on first use (the checkpoint engine, the protobuf descriptors, msgpack) are
 * found from the installed packages, and checkpoints carry a retry.
 */
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as Esbuild from "esbuild";
import { FreshProject } from "../src/freshProject.js";
import { harness } from "../src/harness.js";

const esbuild = createRequire(import.meta.url)("esbuild") as typeof Esbuild;

// A first attempt saves 1..3 and fails; the retry must resume from 3, through the checkpoint.
// Named: a minified bundle renames functions (the sdk README).
const TASK = `import * as flyte from "@flyte/sdk";
const env = new flyte.TaskEnvironment({ name: "bundled" });
export const count = env.task({ name: "count", retries: 1 }, async function count(n) {
  const cp = flyte.ctx().checkpoint;
  const path = await cp.load();
  const { readFile } = await import("node:fs/promises");
  let i = path ? Number(await readFile(path, "utf8")) : 0;
  const resumedFrom = i;
  for (; i < n; i++) {
    await cp.save(new TextEncoder().encode(String(i + 1)));
    if (i + 1 === 3 && flyte.ctx().attemptNumber === 0) throw new Error("fail once, after 3");
  }
  return { resumedFrom, i };
});
await flyte.init({ rawDataPath: process.argv[2] });
console.log(JSON.stringify(await flyte.run(count, 5)));
`;

describe("a task bundled with esbuild, packages external", () => {
  let p: FreshProject;
  beforeAll(async () => {
    const h = harness();
    p = await FreshProject.create(h.base, "bundled", "esm", h.npmrc, h.extraPath);
    const r = await p.run("npm install @flyte/sdk");
    if (r.code !== 0) throw new Error(`npm install @flyte/sdk failed:\n${r.stderr}`);
    p.write("task.mjs", TASK);
  });

  it("runs, and its checkpoints carry a retry", async () => {
    const out = join(p.dir, "bundle");
    mkdirSync(out, { recursive: true });
    await esbuild.build({
      entryPoints: [join(p.dir, "task.mjs")],
      absWorkingDir: p.dir,
      bundle: true,
      minify: true,
      format: "esm",
      platform: "node",
      target: "node20",
      outfile: join(out, "task.mjs"),
      packages: "external",
      logLevel: "silent",
    });
    const raw = join(out, "raw");
    const r = await p.run(`cd ${out} && node task.mjs ${raw}`);
    // stderr is shown only when the run failed (progress goes there too).
    expect({ code: r.code, stderr: r.code === 0 ? "" : r.stderr }).toEqual({ code: 0, stderr: "" });
    const result = JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "null");
    expect(result).toMatchObject({ resumedFrom: 3, i: 5 });
  });
});
