/**
 * A saver of the torture run: saves generation after generation to one key, cycling bytes,
 * a file and a directory, and alternating `save()` and `saveSync()`, until the stop file
 * appears. Prints one JSON line: how many saves it made and every error it met.
 */
import { existsSync, mkdirSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { Checkpoint } from "@flyte/checkpoint";
import { openTarget } from "../crash/crashTarget.js";
import type { TortureChildConfig } from "./tortureTarget.js";
import { fileBytes, formatOf, jsonBytes, writeTreeFor } from "./tortureContent.js";

async function main(): Promise<{ saves: number; errors: string[] }> {
  const config = JSON.parse(process.argv[2]!) as TortureChildConfig;
  const storage = openTarget(config.target);
  mkdirSync(config.workDir, { recursive: true });
  const cp = new Checkpoint(config.key, undefined, {
    storage,
    tmpDir: config.workDir,
    onWarning: () => undefined,
  });
  const errors: string[] = [];
  let saves = 0;
  try {
    for (let gen = config.saver * 1_000_000 + 1; !existsSync(config.stopFile); gen++) {
      let data: Uint8Array | string;
      const format = formatOf(gen);
      if (format === "bytes") data = jsonBytes(config.saver, gen);
      else if (format === "file") {
        data = join(config.workDir, "source.bin");
        writeFileSync(data, fileBytes(config.saver, gen));
      } else {
        data = join(config.workDir, "source-dir");
        writeTreeFor(data, config.saver, gen);
      }
      try {
        if (gen % 2 === 0) await cp.save(data);
        else cp.saveSync(data);
        saves++;
      } catch (error) {
        errors.push(`save of generation ${gen} (${format}): ${String(error)}`);
      }
    }
  } finally {
    cp.dispose();
    await storage.close?.();
  }
  return { saves, errors };
}

main().then(
  (result) => {
    writeSync(1, `${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    writeSync(2, `saver failed: ${String((error as Error)?.stack ?? error)}\n`);
    process.exit(3);
  },
);
