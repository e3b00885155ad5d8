import { rmSync } from "node:fs";

/** Folders to remove when the process exits, in creation order. */
const pending = new Set<string>();
let hooked = false;

function removeAll(): void {
  for (const path of pending) {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      // Exiting: nothing can be reported any more; the next process sweeps what is left.
    }
  }
  pending.clear();
}

/**
 * Removes `path` when the process exits (`process.on("exit")`: normal ends, `process.exit()`,
 * an uncaught exception), unless {@link keepAtExit} is called first. One synchronous hook
 * serves every folder; it holds paths only, never the objects that made them.
 */
export function removeAtExit(path: string): void {
  pending.add(path);
  if (!hooked) {
    hooked = true;
    process.on("exit", removeAll);
  }
}

/** Forgets `path` (it was removed already, or its owner keeps it). */
export function keepAtExit(path: string): void {
  pending.delete(path);
}
