/**
 * Where the isolation worker is and how to start it: `src/runtime/isolation/worker.ts` when the SDK runs
 * from its sources (then with `--import tsx --conditions=@flyte/source`), `dist/runtime/isolation/worker.js`
 * from the build. `$FLYTE_ISOLATION_WORKER` overrides the file.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

import { ownDirectory } from "../../task/callerModule.js";
import { IsolationError } from "../../errors.js";

/** How to fork the worker. */
export interface WorkerLaunch {
  readonly file: string;
  readonly execArgv: readonly string[];
}

const TS = /\.[cm]?tsx?$/;

/** The worker file and the Node flags it needs to load `taskModule`. */
export function workerLaunch(taskModule: string): WorkerLaunch {
  const file = workerFile();
  const fromSource = TS.test(file);
  const execArgv: string[] = [];
  if (fromSource || TS.test(taskModule)) {
    execArgv.push("--import", tsxLoader(file));
  }
  if (fromSource) execArgv.push("--conditions=@flyte/source");
  return { file, execArgv };
}

let cached: string | undefined;

function workerFile(): string {
  const override = process.env["FLYTE_ISOLATION_WORKER"];
  if (override !== undefined && override.trim() !== "") return path.resolve(override);
  if (cached !== undefined) return cached;
  const dir = ownDirectory();
  if (dir !== undefined) {
    // dist/: the bundle's chunks sit at the top, the worker entry below; src/: the directory of
    // task/callerModule.ts, next to runtime/.
    for (const candidate of ["runtime/isolation/worker.js", "runtime/isolation/worker.mjs", "../runtime/isolation/worker.ts"]) {
      const file = path.join(dir, candidate);
      if (existsSync(file)) return (cached = file);
    }
  }
  throw new IsolationError(
    `cannot find the isolation worker next to ${dir ?? "the SDK"}; set FLYTE_ISOLATION_WORKER to its path`,
  );
}

function tsxLoader(from: string): string {
  try {
    return pathToFileURL(createRequire(from).resolve("tsx")).href;
  } catch (cause) {
    throw new IsolationError("running TypeScript in an isolated attempt needs the tsx package; install it", { cause });
  }
}
