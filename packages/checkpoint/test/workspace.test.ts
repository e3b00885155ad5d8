/**
 * Nothing a checkpoint creates outlives it (issue 14, item 12): the local workspace is created
 * only when a load or a blocking directory save needs it (or `path` is read), removed by
 * `dispose()`, removed at exit by a process that never disposed it (normal end, uncaught
 * exception), and — when the process was SIGKILLed — swept by the next process that creates a
 * workspace in the same folder. A live process's workspace is never swept.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Checkpoint } from "@flyte/checkpoint";

let root: string;
let source: string;
let bigDir: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "cp-workspace-"));
  source = join(root, "source-cp");
  bigDir = join(root, "big-dir");
  mkdirSync(bigDir);
  for (let i = 0; i < 8; i++) writeFileSync(join(bigDir, `part-${i}`), Buffer.alloc(4 << 20, i));
  using cp = new Checkpoint(source, undefined, { onWarning: () => undefined });
  await cp.save(bigDir);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
const freshTmp = (): string => {
  const dir = join(root, `tmp-${++n}`);
  mkdirSync(dir);
  return dir;
};
const workspaces = (dir: string): string[] =>
  readdirSync(dir).filter((f) => f.startsWith("flyte-cp-"));
const child = (tmp: string, src: string, how: string): string[] => [
  "--import",
  "tsx",
  "--conditions=@flyte/source",
  join(__dirname, "fixtures", "workspaceChild.mts"),
  tmp,
  src,
  how,
];
const cwd = resolve(__dirname, "..");

/** Starts a child that prints "ready <pid>", and resolves once it has. */
function startReady(args: string[]): Promise<{ pid: number; kill: () => Promise<void> }> {
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const exited = new Promise<void>((r) => proc.on("exit", () => r()));
    proc.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    proc.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      if (/ready \d+/.test(out)) {
        resolvePromise({
          pid: proc.pid!,
          kill: async () => {
            // Killed by its PID: only this child.
            proc.kill("SIGKILL");
            await exited;
          },
        });
      }
    });
    proc.on("error", reject);
    proc.on("exit", (code) => {
      if (!/ready/.test(out))
        reject(new Error(`child exited (${code}) before it was ready:\n${err}`));
    });
  });
}

describe("12. workspaces", () => {
  test("nothing is created until needed: a new checkpoint and its async saves create no folder; a load does, dispose removes it", async () => {
    const tmp = freshTmp();
    const cp = new Checkpoint(join(root, `dest-${++n}`), source, { tmpDir: tmp });
    await cp.save(new TextEncoder().encode("bytes"));
    await cp.save(join(bigDir, "part-0"));
    await cp.save(bigDir);
    expect(workspaces(tmp)).toEqual([]);
    const restored = await cp.load();
    expect(restored).toBe(cp.path);
    expect(workspaces(tmp)).toHaveLength(1);
    // What a load leaves is the restored tree alone: no staging folder, no downloaded archive.
    expect(readdirSync(join(tmp, workspaces(tmp)[0]!))).toEqual(["workspace"]);
    cp.dispose();
    expect(workspaces(tmp)).toEqual([]);
  });

  test("a blocking directory save spools its archive in the workspace and removes it", () => {
    const tmp = freshTmp();
    using cp = new Checkpoint(join(root, `dest-${++n}`), undefined, { tmpDir: tmp });
    cp.saveSync(bigDir);
    expect(workspaces(tmp)).toHaveLength(1);
    expect(readdirSync(join(tmp, workspaces(tmp)[0]!))).toEqual([]);
  });

  test("reading path creates the workspace (as Python's does); after dispose it is not created again", () => {
    const tmp = freshTmp();
    const cp = new Checkpoint(join(root, `dest-${++n}`), undefined, { tmpDir: tmp });
    const path = cp.path;
    expect(readdirSync(path)).toEqual([]);
    cp.dispose();
    expect(cp.path).toBe(path);
    expect(workspaces(tmp)).toEqual([]);
  });

  test.each(["exit", "throw"])(
    "a process that ends (%s) without dispose() leaves nothing behind",
    (how) => {
      const tmp = freshTmp();
      const result = spawnSync(process.execPath, child(tmp, source, how), {
        cwd,
        encoding: "utf8",
      });
      expect(result.status).toBe(how === "exit" ? 0 : 1);
      expect(workspaces(tmp)).toEqual([]);
    },
  );

  test.each(["hang", "saving"])(
    "a SIGKILLed process's workspace (%s) is swept by the next process that needs one; a live one's is kept",
    async (how) => {
      const tmp = freshTmp();
      const killed = await startReady(child(tmp, how === "saving" ? bigDir : source, how));
      if (how === "saving") await new Promise((r) => setTimeout(r, 300)); // mid-save, its archive spooling
      await killed.kill();
      const left = workspaces(tmp);
      expect(left).toHaveLength(1);
      expect(left[0]).toContain(`-${killed.pid}-`);
      const alive = await startReady(child(tmp, source, "hang"));
      try {
        const next = spawnSync(process.execPath, child(tmp, source, "exit"), {
          cwd,
          encoding: "utf8",
        });
        expect(next.status).toBe(0);
        // The killed one's is gone; the live one's is still there.
        const after = workspaces(tmp);
        expect(after).toHaveLength(1);
        expect(after[0]).toContain(`-${alive.pid}-`);
      } finally {
        await alive.kill();
      }
    },
    60_000,
  );
});
