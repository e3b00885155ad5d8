import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What {@link runIsolated} runs the script with. */
export interface IsolatedRun {
  /** Environment variables besides `PATH` (nothing else of this process's leaks in). */
  readonly env?: Readonly<Record<string, string>>;
  /** Files to create in the folder the script runs in, e.g. a lockfile. */
  readonly files?: Readonly<Record<string, string>>;
  /** Node flags, e.g. `--expose-gc`. */
  readonly nodeArgs?: readonly string[];
}

/**
 * Runs an ES module script against a copy of this package's sources installed as
 * `node_modules/@flyte/storage-adapters` in a temp folder outside the workspace, where none of
 * its optional peers (memfs, the AWS and Azure SDKs) can be resolved: what a user who did not
 * install them gets. The script imports `@flyte/storage-adapters` (and its subpaths) by name
 * and prints one JSON line last; that line is returned, parsed.
 */
export function runIsolated<T = Record<string, unknown>>(script: string, run: IsolatedRun = {}): T {
  const dir = mkdtempSync(join(tmpdir(), "flyte-isolated-"));
  try {
    const pkg = join(dir, "node_modules", "@flyte", "storage-adapters");
    mkdirSync(pkg, { recursive: true });
    cpSync(join(__dirname, "..", "..", "src"), join(pkg, "src"), { recursive: true });
    cpSync(join(__dirname, "..", "..", "package.json"), join(pkg, "package.json"));
    const app = join(dir, "app");
    mkdirSync(app);
    for (const [name, text] of Object.entries(run.files ?? {}))
      writeFileSync(join(app, name), text);
    writeFileSync(join(app, "run.mts"), script);
    const out = execFileSync(
      process.execPath,
      [
        ...(run.nodeArgs ?? []),
        "--import",
        require.resolve("tsx"),
        "--conditions=@flyte/source",
        join(app, "run.mts"),
      ],
      { cwd: app, encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...run.env } },
    );
    return JSON.parse(out.trim().split("\n").pop()!) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A script line that prints what `promise` rejected with (or `{ name: "none" }`) as JSON. */
export function printError(expression: string): string {
  return `try { await (${expression}); console.log(JSON.stringify({ name: "none" })); }
catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message, uri: e.uri, packages: e.packages, installCommand: e.installCommand })); }`;
}
