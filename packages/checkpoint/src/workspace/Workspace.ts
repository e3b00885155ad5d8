import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { removeAtExit, keepAtExit } from "./exitCleanup.js";
import { sweepStaleWorkspaces, workspaceName } from "./staleWorkspaces.js";

/**
 * The local folder of one `Checkpoint`: the restored checkpoint (`workspace/`), staging folders
 * of restores in progress and the temp archive of a blocking directory save, all under one
 * root in the temp folder. Nothing is created until a load or save needs it (or `path` is
 * read), so an attempt that never touches its checkpoint leaves nothing behind.
 *
 * The root's name carries this host and process (`flyte-cp-<host>-<pid>-<random>`): it is
 * removed by `dispose()`, at process exit when never disposed (one synchronous exit hook for
 * all), and, if the process was killed, by the next process on this host that creates a
 * workspace in the same folder and finds its owner gone.
 */
export class Workspace {
  /** The root folder (not created yet, maybe). */
  readonly root: string;
  readonly #tmpDir: string;
  #created = false;
  #disposed = false;
  #counter = 0;

  constructor(tmpDir: string) {
    this.#tmpDir = tmpDir;
    this.root = join(
      tmpDir,
      workspaceName(
        process.pid,
        // `node:crypto` is loaded when a Checkpoint is made, not at import: keeps import() light.
        process.getBuiltinModule("node:crypto").randomBytes(6).toString("hex"),
      ),
    );
  }

  /** The folder `load` restores into (`root/workspace`), created when `create` is true. */
  restoreDir(create: boolean): string {
    const dir = join(this.root, "workspace");
    if (create && !this.#disposed) {
      this.#ensureRoot();
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    }
    return dir;
  }

  /** A fresh path inside the root for a staging folder or temp file (the root is created). */
  tempPath(prefix: string): string {
    this.#ensureRoot();
    return join(this.root, `${prefix}-${++this.#counter}`);
  }

  /** Whether the root exists now (created and not disposed). */
  get exists(): boolean {
    return this.#created && !this.#disposed;
  }

  /** Removes the root and everything in it. Idempotent; later calls create nothing. */
  dispose(): void {
    this.#disposed = true;
    if (!this.#created) return;
    rmSync(this.root, { recursive: true, force: true });
    keepAtExit(this.root);
  }

  #ensureRoot(): void {
    if (this.#created || this.#disposed) return;
    mkdirSync(this.#tmpDir, { recursive: true });
    sweepStaleWorkspaces(this.#tmpDir);
    mkdirSync(this.root, { mode: 0o700 });
    this.#created = true;
    removeAtExit(this.root);
  }
}
