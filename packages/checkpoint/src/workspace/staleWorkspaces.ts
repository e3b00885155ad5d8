import { readdirSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

let host: string | undefined;

/**
 * This host, as 8 hex digits: workspaces of other hosts sharing a temp folder (a shared
 * volume, another container's pid namespace) are never judged by our process table.
 */
function thisHost(): string {
  // Computed on first use, not at import: `node:crypto` then stays unloaded by import("@flyte/sdk").
  host ??= process
    .getBuiltinModule("node:crypto")
    .createHash("sha256")
    .update(hostname())
    .digest("hex")
    .slice(0, 8);
  return host;
}

const NAME = /^flyte-cp-([0-9a-f]{8})-(\d+)-[0-9a-f]+$/;

/** The root folder name of a workspace of process `pid`. */
export function workspaceName(pid: number, random: string): string {
  return `flyte-cp-${thisHost()}-${pid}-${random}`;
}

/** Whether process `pid` is alive on this host (a process of another user counts as alive). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code !== "ESRCH";
  }
}

/** Temp folders already swept by this process. */
const swept = new Set<string>();

/**
 * Removes the workspaces that processes of this host left in `tmpDir` when they were killed
 * (SIGKILL, OOM) before their exit hook could run: a name of this host whose process is gone.
 * This process's own pid always counts as alive (its worker threads and other copies of this
 * package share it). Once per folder per process; never throws (a sweep is housekeeping, not
 * part of the save or load that triggered it).
 */
export function sweepStaleWorkspaces(tmpDir: string): number {
  if (swept.has(tmpDir)) return 0;
  swept.add(tmpDir);
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(tmpDir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m || m[1] !== thisHost()) continue;
    const pid = Number(m[2]);
    const path = join(tmpDir, name);
    if (pid === process.pid || alive(pid)) continue;
    try {
      rmSync(path, { recursive: true, force: true });
      removed++;
    } catch {
      // another sweeper got there first, or it is not ours to remove
    }
  }
  return removed;
}
