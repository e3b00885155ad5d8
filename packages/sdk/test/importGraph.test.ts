/**
 * The sdk's own modules import each other in one direction only: no cycle anywhere, and the
 * layers keep their order — task/ below runtime/, runtime/ below the user API, the user API below
 * the commands (cli/, entrypoint/). A violation names the files.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import * as ts from "typescript";

const SRC = resolve(__dirname, "..", "src");

function sources(): string[] {
  return (readdirSync(SRC, { recursive: true, encoding: "utf8" }) as string[])
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(SRC, f));
}

/** file → the sdk files it imports (type-only imports included: a cycle of types is a cycle too). */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of sources()) {
    const text = readFileSync(file, "utf8");
    const deps = ts
      .preProcessFile(text, true, true)
      .importedFiles.map((i) => i.fileName)
      .filter((s) => s.startsWith("."))
      .map((s) => relative(SRC, resolve(dirname(file), s.replace(/\.js$/, ".ts"))));
    g.set(relative(SRC, file), deps);
  }
  return g;
}

/** The layer of a file, lowest first. */
function layer(file: string): number {
  if (file === "index.ts") return 5; // the facade re-exports everything
  if (file.startsWith("task/")) return 1;
  if (file.startsWith("runtime/")) return 2;
  if (file.startsWith("cli/") || file.startsWith("entrypoint/")) return 4;
  if (["environment.ts", "runner.ts", "group.ts"].includes(file)) return 3;
  return 0; // leaves: errors, events, paths, duration, init, checkpointTypes
}

describe("the sdk's import graph", () => {
  it("has no cycle", () => {
    const g = graph();
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, "open");
      stack.push(f);
      for (const d of g.get(f) ?? []) {
        if (state.get(d) === "open") cycles.push([...stack.slice(stack.indexOf(d)), d].join(" → "));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, "done");
    };
    for (const f of g.keys()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it("goes down the layers only", () => {
    const upward: string[] = [];
    for (const [file, deps] of graph()) {
      // The commands may use each other (the CLI shares the entrypoint's loader and exit codes).
      for (const d of deps)
        if (layer(d) > layer(file) && !(layer(file) === 4 && layer(d) === 4))
          upward.push(`${file} → ${d}`);
    }
    expect(upward).toEqual([]);
  });
});
