/**
 * The crash loop's loader, a fresh process per kill: resumes from the key the killed saver wrote
 * (as the next attempt would: destination `<key>.resume`, source `<key>`) and prints one JSON line
 * with the digest of what `load` restored, whether a manifest verified it, or the error.
 */
import { mkdirSync, writeSync } from "node:fs";
import { Checkpoint } from "@flyte/checkpoint";
import type { CrashChildConfig, LoaderAnswer } from "./crashTarget.js";
import { openTarget } from "./crashTarget.js";
import { digestLoaded } from "./crashContent.js";

async function main(): Promise<LoaderAnswer> {
  const config = JSON.parse(process.argv[2]!) as CrashChildConfig;
  const storage = openTarget(config.target);
  mkdirSync(config.workDir, { recursive: true });
  const cp = new Checkpoint(`${config.key}.resume`, config.key, {
    storage,
    tmpDir: config.workDir,
    onWarning: () => undefined,
  });
  try {
    const path = await cp.load();
    if (path === undefined) return { ok: true, found: false };
    const info = cp.lastLoad!;
    return {
      ok: true,
      found: true,
      digest: digestLoaded(config.mode, path),
      verified: info.verified,
      format: info.format,
    };
  } catch (error) {
    return { ok: false, name: (error as Error).name, message: (error as Error).message };
  } finally {
    cp.dispose();
    await storage.close?.();
  }
}

main().then(
  (answer) => {
    writeSync(1, `${JSON.stringify(answer)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    writeSync(2, `loader failed: ${String((error as Error)?.stack ?? error)}\n`);
    process.exit(3);
  },
);
