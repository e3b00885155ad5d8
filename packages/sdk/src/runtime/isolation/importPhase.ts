/**
 * Whether this process is an isolation worker importing the module of the task it will run.
 * A run started then (a top-level `await run(...)` in that module) would start the whole run
 * again in every child process — a fork bomb — so the runner refuses it with a clear error.
 */
let importing = false;

/** Marks the start and end of the worker's import of the task's module. */
export function setIsolationImportPhase(value: boolean): void {
  importing = value;
}

/** Whether the worker is importing the task's module right now. */
export function inIsolationImportPhase(): boolean {
  return importing;
}
