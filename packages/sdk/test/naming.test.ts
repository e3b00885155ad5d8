/**
 * Task identity never depends on `Function.name` surviving a bundler: `{ name }` first, then the
 * export name a loader finds the task under, then the function's name — and an arrow function
 * that has none of them fails with an error saying how to name it.
 */
import { mkdirSync, rmSync } from "node:fs";
import type * as Esbuild from "esbuild";
import { createRequire } from "node:module";
import { join } from "node:path";

import {
  TaskDefinitionError,
  TaskEnvironment,
  findTask,
  init,
  listTasks,
  run,
} from "../src/index.js";
import { ExitCode } from "../src/entrypoint/exitCodes.js";
import * as arrows from "./fixtures-naming/arrows.js";
import { flyte, SDK_DIR, tempDir } from "./fixtures-cli/runBin.js";

beforeAll(() => init({ rawDataPath: "memory://sdk-naming" }));

describe("task names", () => {
  it("takes an arrow function's name from its export, { name } first", async () => {
    listTasks(arrows);
    expect(arrows.boom.name).toBe("boom");
    expect(arrows.named.name).toBe("explicit");
    expect(arrows.viaFunction.name).toBe("viaFunction"); // the export beats the function's own name
    expect(findTask(arrows, "boom")).toBe(arrows.boom);
    await expect(run(arrows.caller, 3)).resolves.toBe(10);
  });

  it("tells how to name a task that has no name at all", async () => {
    const env = new TaskEnvironment({ name: "anon" });
    const anon = env.task((async (x: number) => x) as (x: number) => Promise<number>);
    expect(() => anon.name).toThrow(TaskDefinitionError);
    expect(() => anon.name).toThrow(/env\.task\(\{ name: "myTask" \}/);
    await expect(run(anon, 1)).rejects.toThrow(/has no name/);
  });

  it("runs a minified bundle's tasks by their export names", async () => {
    const dir = tempDir("bundle");
    // Inside the package, so the bundle's "@flyte/sdk" resolves (a package imports itself by name).
    const bundles = join(SDK_DIR, "test", ".bundles");
    mkdirSync(bundles, { recursive: true });
    const out = join(bundles, `arrows-${process.pid}.mjs`);
    const esbuild = createRequire(join(SDK_DIR, "package.json"))("esbuild") as typeof Esbuild;
    await esbuild.build({
      entryPoints: [join(SDK_DIR, "test", "fixtures-naming", "arrows.ts")],
      bundle: true,
      minify: true,
      keepNames: false,
      format: "esm",
      platform: "node",
      outfile: out,
      conditions: ["@flyte/source"],
      external: ["@flyte/*", "@aws-sdk/*", "@azure/*", "memfs"],
    });
    // Positional: a minifier renames parameters too (that is what declared inputs are for).
    const r = await flyte(["run", "--json", out, "caller", "3"], { env: { FLYTE_HOME: dir } });
    rmSync(out, { force: true });
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: ExitCode.OK });
    expect(r.json()).toMatchObject({ ok: true, task: "caller", result: 10 });
    expect(r.stderr).toMatch(/ boom /);
  });
});
