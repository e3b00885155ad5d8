/**
 * Which file called into the SDK: read from the call stack, for tasks that run in a child
 * process (the child imports the file that defines the task). `options.module` overrides it.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

// "    at fn (/abs/file.ts:10:5)", "    at file:///abs/file.ts:10:5", "    at /abs/file.js:1:2"
const FRAME = /(?:\(|\s)((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):\d+:\d+\)?\s*$/;

/**
 * The first file on the stack outside this package's own sources or build (and outside
 * node_modules/internal frames), as an absolute path; `undefined` when none can be read.
 */
export function callerModule(): string | undefined {
  const own = ownDirectory();
  const stack = new Error().stack ?? "";
  for (const line of stack.split("\n").slice(1)) {
    const m = FRAME.exec(line);
    if (m === null) continue;
    const file = toPath(m[1]!);
    if (file === undefined) continue;
    if (own !== undefined && file.startsWith(own + path.sep)) continue;
    if (file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    return file;
  }
  return undefined;
}

/** Turns a path or a `file://` URL into an absolute path; `undefined` for anything else. */
export function toPath(fileOrUrl: string): string | undefined {
  if (fileOrUrl.startsWith("file://")) return fileURLToPath(fileOrUrl);
  return path.isAbsolute(fileOrUrl) ? fileOrUrl : undefined;
}

let ownDir: string | undefined;

/**
 * The folder of this package's code, read from the stack: `src/` when it runs from its sources
 * (this file is `src/task/callerModule.ts`), `dist/` from the build (bundled into a chunk there).
 */
export function ownDirectory(): string | undefined {
  if (ownDir !== undefined) return ownDir;
  const line = (new Error().stack ?? "").split("\n")[1] ?? "";
  const m = FRAME.exec(line);
  const file = m === null ? undefined : toPath(m[1]!);
  if (file !== undefined) {
    const dir = path.dirname(file);
    ownDir =
      path.basename(dir) === "task" && path.basename(path.dirname(dir)) === "src"
        ? path.dirname(dir)
        : dir;
  }
  return ownDir;
}
