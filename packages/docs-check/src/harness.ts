/**
 * What the README tests share, set up once per jest run (globalSetup) and handed to the test
 * files through environment variables: the packed packages, the local registry serving them,
 * and the folder holding yarn.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalRegistry, type LocalRegistry } from "./localRegistry.js";
import { packWorkspace } from "./packWorkspace.js";
import { yarnBinDir } from "./tools.js";

/** The shared set-up, as the tests read it. */
export interface Harness {
  /** The temporary folder everything is made in (removed at the end). */
  readonly base: string;
  /** The `.npmrc` a fresh project gets. */
  readonly npmrc: string;
  /** Folders to put first on a project's PATH (yarn). */
  readonly extraPath: string[];
}

const ENV = "FLYTE_DOCS_CHECK_HARNESS";

/** Packs, starts the registry, installs yarn; returns a stop function. */
export async function startHarness(): Promise<{ harness: Harness; stop: () => Promise<void> }> {
  const base = mkdtempSync(join(tmpdir(), "flyte-docs-check-"));
  let registry: LocalRegistry | undefined;
  try {
    const tarballs = join(base, "tarballs");
    mkdirSync(tarballs);
    registry = await startLocalRegistry(await packWorkspace(tarballs));
    const harness: Harness = { base, npmrc: registry.npmrc, extraPath: [await yarnBinDir()] };
    const started = registry;
    return {
      harness,
      stop: async () => {
        await started.close();
        if (process.env["FLYTE_DOCS_CHECK_KEEP"] !== "1")
          rmSync(base, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await registry?.close();
    rmSync(base, { recursive: true, force: true });
    throw err;
  }
}

/** Hands the harness to the test files (they run in this process or in forked workers). */
export function publishHarness(harness: Harness): void {
  process.env[ENV] = JSON.stringify(harness);
}

/** The harness globalSetup published. */
export function harness(): Harness {
  const text = process.env[ENV];
  if (text === undefined)
    throw new Error(`${ENV} is not set: run these tests through jest.config.cjs (its globalSetup)`);
  return JSON.parse(text) as Harness;
}
