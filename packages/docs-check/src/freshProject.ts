/**
 * A fresh npm project in a temporary folder, as a user makes one (`npm init -y`, which is
 * CommonJS; `npm pkg set type=module` for ESM), whose `@flyte` scope installs from the local
 * registry, and a shell to run command lines in it the way a user's terminal would.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import type { ModuleKind } from "./readmeBlocks.js";

/** What a command line did. */
export interface CommandResult {
  readonly command: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** How long one command line may run before it is killed (an install, a task run). */
export const COMMAND_TIMEOUT_MS = 180_000;

/**
 * The machine's own network settings, which a user's terminal has too: proxies and the
 * certificates TLS is to trust (a machine behind an intercepting proxy needs them to reach the
 * registry at all).
 */
const MACHINE_VARS = [
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
];

/**
 * The environment of a user's terminal: PATH without the `node_modules/.bin` folders the test
 * runner's package manager put in front (they would lend the project this repository's tools,
 * tsx and the workspace's `flyte` among them), HOME, locale and the machine's network settings,
 * and nothing of this repository's own (`npm_config_*`, `FLYTE_*`, the S3 and Azure variables
 * of the test servers).
 */
export function userEnv(extraPath: readonly string[] = []): NodeJS.ProcessEnv {
  const path = (process.env["PATH"] ?? "")
    .split(delimiter)
    .filter((p) => p !== "" && !/[\\/]node_modules[\\/]\.bin$/.test(p));
  // The node running the tests comes first, so every command uses the Node version under test.
  const nodeDir = dirname(process.execPath);
  const env: NodeJS.ProcessEnv = {
    PATH: [...extraPath, nodeDir, ...path.filter((p) => p !== nodeDir)].join(delimiter),
    HOME: process.env["HOME"] ?? "/root",
    LANG: process.env["LANG"] ?? "C.UTF-8",
    TERM: "dumb",
    NO_COLOR: "1",
    npm_config_update_notifier: "false",
  };
  for (const name of ["TMPDIR", ...MACHINE_VARS]) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  return env;
}

/** A fresh project folder. */
export class FreshProject {
  private constructor(
    readonly dir: string,
    readonly kind: ModuleKind,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /**
   * `npm init -y` in `<base>/<name>`, the `@flyte` scope sent to `npmrc`'s registry, and for
   * `esm` `"type": "module"`. `extraPath` goes first on PATH (e.g. a folder holding yarn).
   */
  static async create(
    base: string,
    name: string,
    kind: ModuleKind,
    npmrc: string,
    extraPath: readonly string[] = [],
  ): Promise<FreshProject> {
    const dir = join(base, name);
    mkdirSync(dir, { recursive: true });
    const project = new FreshProject(dir, kind, userEnv(extraPath));
    writeFileSync(join(dir, ".npmrc"), npmrc);
    for (const setup of ["npm init -y", ...(kind === "esm" ? ["npm pkg set type=module"] : [])]) {
      const r = await project.run(setup);
      if (r.code !== 0) throw new Error(`${setup} failed in ${dir}:\n${r.stderr}`);
    }
    return project;
  }

  /** Writes a file into the project (folders created as needed). */
  write(file: string, content: string): void {
    const path = join(this.dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }

  /** Runs one command line with bash in the project folder, no standard input. */
  run(command: string, timeoutMs: number = COMMAND_TIMEOUT_MS): Promise<CommandResult> {
    return shell(command, this.dir, this.env, timeoutMs);
  }
}

/** Runs one command line with bash in `cwd`, no standard input; never rejects on a failure. */
export function shell(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv = userEnv(),
  timeoutMs: number = COMMAND_TIMEOUT_MS,
): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout stops everything the line started.
    const child = spawn("bash", ["-o", "pipefail", "-c", command], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n[docs-check: killed after ${timeoutMs} ms]`;
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ command, code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Whether a command line installs packages (its warnings are then ours to answer for). */
export function isInstall(command: string): boolean {
  return /^(npm|pnpm|yarn)\s+(i|install|add)\b/.test(command.trim());
}

/**
 * The warning lines a package manager printed: `npm warn ...`, pnpm's `WARN`, yarn's
 * `warning ...`. An install from a README must print none.
 */
export function installWarnings(result: CommandResult): string[] {
  return `${result.stdout}\n${result.stderr}`
    .split("\n")
    .filter((l) => /^\s*(npm warn|npm WARN|warning\b|\[?WARN\]?\b|\s*WARN\s)/.test(l));
}
