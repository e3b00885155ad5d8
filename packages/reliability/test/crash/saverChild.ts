/**
 * The crash loop's saver: saves generation after generation of one kind of checkpoint to one
 * key, and after each save has resolved writes `saved <g>` to stdout with a blocking write, so
 * the parent knows which generations are complete. It runs until it is SIGKILLed.
 */
import { mkdirSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { Checkpoint } from "@flyte/checkpoint";
import { fileFor, jsonFor, treeFor, writeTree } from "./crashContent.js";
import type { CrashChildConfig } from "./crashTarget.js";
import { openTarget } from "./crashTarget.js";

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]!) as CrashChildConfig;
  const storage = openTarget(config.target);
  mkdirSync(config.workDir, { recursive: true });
  const cp = new Checkpoint(config.key, undefined, {
    storage,
    tmpDir: config.workDir,
    onWarning: () => undefined,
  });
  writeSync(1, "ready\n");
  for (let g = config.startGen + 1; ; g++) {
    if (config.mode === "json") {
      await cp.saveJson(jsonFor(g));
    } else if (config.mode === "file") {
      const path = join(config.workDir, "source.bin");
      writeFileSync(path, fileFor(g));
      await cp.save(path);
    } else {
      const dir = join(config.workDir, "source-dir");
      writeTree(dir, treeFor(g));
      await cp.save(dir);
    }
    writeSync(1, `saved ${g}\n`);
  }
}

main().catch((error: unknown) => {
  writeSync(2, `saver failed: ${String((error as Error)?.stack ?? error)}\n`);
  process.exit(3);
});
