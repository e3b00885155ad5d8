/**
 * Runs the CLI sources as a real subprocess (`node --import tsx --conditions=@flyte/source`), the
 * way a container or a shell runs the bins, and collects exit code, stdout and stderr.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** packages/sdk */
export const SDK_DIR = resolve(__dirname, "..", "..");
/** The repository root. */
export const REPO_DIR = resolve(SDK_DIR, "..", "..");
export const FLYTE_BIN = join(SDK_DIR, "src", "cli", "flyte.ts");
export const FLYTE_TASK_BIN = join(SDK_DIR, "src", "cli", "flyteTask.ts");
export const TASKS = join(SDK_DIR, "test", "fixtures-cli", "tasks.ts");

/** What a finished subprocess left. */
export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The last non-empty stdout line, parsed as JSON. */
  json(): Record<string, unknown>;
}

/** Variables the entrypoint reads, removed from the inherited environment so a test sets its own. */
const CONTRACT_VARS = [
  "RUN_NAME",
  "ACTION_NAME",
  "FLYTE_INTERNAL_EXECUTION_PROJECT",
  "FLYTE_INTERNAL_EXECUTION_DOMAIN",
  "_U_ORG_NAME",
  "_U_RUN_BASE",
  "FLYTE_ATTEMPT_NUMBER",
  "FLYTE_TEST_MARKER",
];

/** Runs `node --import tsx --conditions=@flyte/source <script> ...args`. */
export function runNode(
  script: string,
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; cwd?: string } = {},
): Promise<Finished> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const v of CONTRACT_VARS) delete env[v];
  // Runs write under a temporary home, never into the repository.
  env["FLYTE_HOME"] ??= mkdtempSync(join(tmpdir(), "flyte-cli-home-"));
  env["NO_COLOR"] = "1";
  Object.assign(env, options.env ?? {});
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=@flyte/source", script, ...args],
      {
        cwd: options.cwd ?? SDK_DIR,
        env: env as NodeJS.ProcessEnv,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolvePromise({
        code,
        signal,
        stdout,
        stderr,
        json() {
          const last = stdout.trim().split("\n").at(-1) ?? "";
          try {
            return JSON.parse(last) as Record<string, unknown>;
          } catch {
            throw new Error(
              `the last stdout line is not JSON: ${JSON.stringify(last)}\nstderr:\n${stderr}`,
            );
          }
        },
      }),
    );
  });
}

/** `flyte ...args` */
export function flyte(
  args: readonly string[],
  options?: Parameters<typeof runNode>[2],
): Promise<Finished> {
  return runNode(FLYTE_BIN, args, options);
}

/** `flyte-task ...args` */
export function flyteTask(
  args: readonly string[],
  options?: Parameters<typeof runNode>[2],
): Promise<Finished> {
  return runNode(FLYTE_TASK_BIN, args, options);
}

/** What one command run by {@link flyteMany} returned. */
export interface DriverResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs several `flyte` command lines in one subprocess (see cliDriver.ts). */
export async function flyteMany(
  commands: readonly (readonly string[])[],
  options?: Parameters<typeof runNode>[2],
): Promise<DriverResult[]> {
  const r = await runNode(
    join(SDK_DIR, "test", "fixtures-cli", "cliDriver.ts"),
    [JSON.stringify(commands)],
    options,
  );
  if (r.code !== 0) throw new Error(`cliDriver exited ${String(r.code)}:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as DriverResult[];
}

/** The last non-empty line of `text`, parsed as JSON. */
export function lastJsonLine(text: string): Record<string, unknown> {
  return JSON.parse(text.trim().split("\n").at(-1)!) as Record<string, unknown>;
}

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `flyte-${prefix}-`));
}
