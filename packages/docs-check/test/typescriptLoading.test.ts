/**
 * `flyte run` on TypeScript files from the packed SDK, as installed by `npm install @flyte/sdk`
 * (tsx is an optional peer, so it is not there): Node's type stripping runs erasable
 * TypeScript where Node has it, and whatever cannot run says to install tsx, with exit code 3;
 * once tsx is installed, the CLI uses it.
 */
import { FreshProject } from "../src/freshProject.js";
import { harness } from "../src/harness.js";
import { nodeSatisfies } from "../src/readmeBlocks.js";

const STRIPS_TYPES = nodeSatisfies(">=22.18");
const ERASABLE = `import { TaskEnvironment } from "@flyte/sdk";
const env = new TaskEnvironment({ name: "ts" });
export const add = env.task(async function add(x: number, y: number): Promise<number> {
  return x + y;
});
`;
const WITH_ENUM = `import { TaskEnvironment } from "@flyte/sdk";
enum Step { One = 1 }
const env = new TaskEnvironment({ name: "ts" });
export const next = env.task(async function next(x: number) {
  return x + Step.One;
});
`;

// `using` is new syntax (Node 24 runs it natively); tsx compiles it for older versions.
const WITH_USING = `import { TaskEnvironment, customContext, getCustomContext } from "@flyte/sdk";
const env = new TaskEnvironment({ name: "ts" });
export const child = env.task(async function child(x: number) {
  return x + Number(getCustomContext().inc);
});
export const parent = env.task(async function parent(x: number) {
  using _ = customContext({ inc: "10" });
  return await child(x);
});
`;

async function project(name: string, kind: "esm" | "cjs"): Promise<FreshProject> {
  const h = harness();
  const p = await FreshProject.create(h.base, name, kind, h.npmrc, h.extraPath);
  const r = await p.run("npm install @flyte/sdk");
  if (r.code !== 0) throw new Error(`npm install @flyte/sdk failed:\n${r.stderr}`);
  p.write("tasks.ts", ERASABLE);
  p.write("steps.ts", WITH_ENUM);
  p.write("scoped.ts", WITH_USING);
  return p;
}

describe("flyte run on TypeScript, without tsx", () => {
  let p: FreshProject;
  beforeAll(async () => {
    p = await project("ts-no-tsx", "esm");
  });

  it(`runs erasable TypeScript where Node strips types, else says to install tsx (Node ${process.version})`, async () => {
    const r = await p.run("npx flyte run -q tasks.ts add --x 1 --y 2");
    if (STRIPS_TYPES) {
      expect({ code: r.code, stdout: r.stdout.trim() }).toEqual({ code: 0, stdout: "3" });
    } else {
      expect(r.code).toBe(3);
      expect(r.stderr).toContain("TypeScript needs tsx");
      expect(r.stderr).toContain("npm i -D tsx");
    }
  });

  it("says to install tsx for an enum, exit code 3", async () => {
    const r = await p.run("npx flyte run -q steps.ts next --x 1");
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("npm i -D tsx");
    if (STRIPS_TYPES)
      expect(r.stderr).toContain("enums, namespaces and parameter properties need tsx");
  });

  it("runs all of them, `using` included, once tsx is installed", async () => {
    const install = await p.run("npm install -D tsx");
    expect(install.code).toBe(0);
    const a = await p.run("npx flyte run -q tasks.ts add --x 1 --y 2");
    const b = await p.run("npx flyte run -q steps.ts next --x 1");
    const c = await p.run("npx flyte run -q scoped.ts parent --x 1");
    expect([
      a.code,
      a.stdout.trim(),
      b.code,
      b.stdout.trim(),
      c.code,
      c.stdout.trim(),
      c.stderr,
    ]).toEqual([0, "3", 0, "2", 0, "11", ""]);
  });
});

describe("flyte run on TypeScript in a CommonJS project, without tsx", () => {
  it(
    STRIPS_TYPES
      ? "names the ways out when Node runs the .ts file as CommonJS"
      : `says to install tsx where Node cannot strip types (Node ${process.version})`,
    async () => {
      const p = await project("ts-cjs-no-tsx", "cjs");
      const r = await p.run("npx flyte run -q tasks.ts add --x 1 --y 2");
      expect(r.code).toBe(3);
      if (!STRIPS_TYPES) {
        expect(r.stderr).toContain("TypeScript needs tsx");
        expect(r.stderr).toContain("npm i -D tsx");
        return;
      }
      expect(r.stderr).toContain('name the file .mts, set "type": "module"');
      p.write("tasks.mts", ERASABLE);
      const mts = await p.run("npx flyte run -q tasks.mts add --x 1 --y 2");
      expect({ code: mts.code, stdout: mts.stdout.trim() }).toEqual({ code: 0, stdout: "3" });
    },
  );
});
