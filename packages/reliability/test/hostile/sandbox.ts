/**
 * A sandbox for hostile-input tests: a `work` folder the code under test may write in, and a
 * `sentinel` folder beside it that hostile names aim at. After each case nothing may have
 * appeared in the sentinel or beside the two folders.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The sandbox folders. */
export interface Sandbox {
  readonly top: string;
  readonly work: string;
  readonly sentinel: string;
  /** Throws if anything was written outside `work`. */
  assertUntouched(context: string): void;
  remove(): void;
}

/** Makes a fresh sandbox under the system temp folder. */
export function makeSandbox(prefix: string): Sandbox {
  const top = mkdtempSync(join(tmpdir(), `flyte-hostile-${prefix}-`));
  const work = join(top, "work");
  const sentinel = join(top, "sentinel");
  for (const d of [work, sentinel]) rmSync(d, { recursive: true, force: true });
  mkdirSync(work);
  mkdirSync(sentinel);
  return {
    top,
    work,
    sentinel,
    assertUntouched(context: string) {
      const inSentinel = readdirSync(sentinel);
      const beside = readdirSync(top).filter((n) => n !== "work" && n !== "sentinel");
      if (inSentinel.length > 0 || beside.length > 0) {
        throw new Error(
          `${context}: written outside the workspace: sentinel ${JSON.stringify(inSentinel)}, beside ${JSON.stringify(beside)}`,
        );
      }
    },
    remove() {
      rmSync(top, { recursive: true, force: true });
    },
  };
}
