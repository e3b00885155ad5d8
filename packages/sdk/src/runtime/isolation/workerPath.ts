/**
 * Where the isolation worker is and how to start it: `src/runtime/isolation/worker.ts` when the SDK runs
 * from its sources (then with `--import tsx --conditions=@flyte/source`), `dist/runtime/isolation/worker.js`
 * from the build. `$FLYTE_ISOLATION_WORKER` overrides the file.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { ownDirectory } from "../../task/callerModule.js";
import { IsolationError } from "../../errors.js";

/** How to fork the worker. */
export interface WorkerLaunch {
  readonly file: string;
  readonly execArgv: readonly string[];
}

const TS = /\.[cm]?tsx?$/;

/**
 * The worker file and the Node flags it needs to load `taskModule`. A TypeScript module runs
 * through tsx when tsx can be found (next to the task's module, or the SDK), else through Node's
 * own type stripping where Node has it; with neither, the attempt fails saying to install tsx.
 */
export function workerLaunch(taskModule: string): WorkerLaunch {
  const file = workerFile();
  const fromSource = TS.test(file);
  const execArgv: string[] = [];
  if (fromSource || TS.test(taskModule)) {
    const tsx = tsxLoader(taskModule) ?? tsxLoader(file);
    if (tsx !== undefined) execArgv.push("--import", tsx);
    else if (fromSource || !nodeStripsTypes()) {
      throw new IsolationError(
        `running ${taskModule} in a child process needs TypeScript support: install tsx next to it (npm i -D tsx), or use Node ≥ 22.18`,
      );
    }
  }
  if (fromSource) execArgv.push("--conditions=@flyte/source");
  return { file, execArgv };
}

function nodeStripsTypes(): boolean {
  return Boolean((process.features as { typescript?: string | false }).typescript);
}

let cached: string | undefined;

function workerFile(): string {
  const override = process.env["FLYTE_ISOLATION_WORKER"];
  if (override !== undefined && override.trim() !== "") return path.resolve(override);
  if (cached !== undefined) return cached;
  const dir = ownDirectory();
  if (dir !== undefined) {
    // dist/ from the build, src/ from the sources: the worker entry is runtime/isolation/ in both.
    for (const candidate of [
      "runtime/isolation/worker.js",
      "runtime/isolation/worker.mjs",
      "runtime/isolation/worker.ts",
    ]) {
      const file = path.join(dir, candidate);
      if (existsSync(file)) return (cached = file);
    }
  }
  throw new IsolationError(
    `cannot find the isolation worker next to ${dir ?? "the SDK"}; set FLYTE_ISOLATION_WORKER to its path`,
  );
}

/** tsx's loader, as resolved from `from`, or `undefined` when it is not installed there. */
function tsxLoader(from: string): string | undefined {
  try {
    return pathToFileURL(createRequire(from).resolve("tsx")).href;
  } catch {
    return undefined;
  }
}
