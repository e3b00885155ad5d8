import { execFileSync } from "node:child_process";
import { join } from "node:path";

/**
 * Runs an ES module script in a fresh Node process from this package's folder, with the
 * package's sources (`@flyte/storage-adapters` through the `@flyte/source` condition) and its
 * dev dependencies resolvable, and returns its last line of output, parsed as JSON.
 */
export function runScript<T>(script: string, nodeArgs: readonly string[] = []): T {
  const out = execFileSync(
    process.execPath,
    [
      ...nodeArgs,
      "--import",
      require.resolve("tsx"),
      "--conditions=@flyte/source",
      "--input-type=module",
      "-e",
      script,
    ],
    { cwd: join(__dirname, "..", ".."), encoding: "utf8", timeout: 120_000 },
  );
  return JSON.parse(out.trim().split("\n").pop()!) as T;
}
