import { writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

import { errorDocumentOf } from "../runtime/errorDocument.js";
import { localPathOf } from "./localPathOf.js";
import type { EntrypointProgress } from "./runEntrypoint.js";

/** What a task that ends its own process did, as its error. */
export class ProcessExitError extends Error {
  override readonly name = "ProcessExitError";
  readonly exitCode: number;

  constructor(code: number) {
    super(
      `the task called process.exit(${code}) before it returned; return a value or throw instead`,
    );
    this.exitCode = code;
  }
}

/**
 * Runs at process exit. When the task was still running, it ended the process itself
 * (`process.exit`): nothing can be awaited any more, so `error.pb` is written synchronously where
 * that is possible (a local outputs path) — then the pod exits 0, and Flyte reads the failure —
 * and otherwise the exit code is made non-zero, so the attempt never passes for a success.
 */
export function writeProcessExitError(progress: EntrypointProgress, code: number): void {
  const running = progress.running;
  if (running === undefined) return;
  progress.running = undefined;
  const error = new ProcessExitError(code);
  process.stderr.write(`flyte-task: ${error.message}\n`);
  const local = running.errorUri === undefined ? undefined : localPathOf(running.errorUri);
  if (local !== undefined) {
    try {
      mkdirSync(dirname(local), { recursive: true });
      writeFileSync(local, errorDocumentOf(error, "USER"));
      process.exitCode = 0;
      return;
    } catch (err) {
      process.stderr.write(
        `flyte-task: could not write ${running.errorUri}: ${(err as Error).message}\n`,
      );
    }
  }
  if (code === 0) process.exitCode = 1;
}
