/**
 * A loader of the torture run: loads the key again and again while the savers write it, each
 * time with a fresh Checkpoint (as the next attempt would), alternating `load()` and
 * `loadSync()`, and checks every result whole (see `checkLoaded`). Prints one JSON line with
 * the counts, the torn reads and the errors.
 */
import { mkdirSync, writeSync } from "node:fs";
import { Checkpoint } from "@flyte/checkpoint";
import { openTarget } from "../crash/crashTarget.js";
import type { LoaderReport, TortureChildConfig } from "./tortureTarget.js";
import { checkLoaded } from "./tortureContent.js";

async function main(): Promise<LoaderReport> {
  const config = JSON.parse(process.argv[2]!) as TortureChildConfig;
  const storage = openTarget(config.target);
  mkdirSync(config.workDir, { recursive: true });
  const report: LoaderReport = {
    loads: 0,
    verified: 0,
    formats: { bytes: 0, file: 0, dir: 0 },
    torn: [],
    errors: [],
  };
  try {
    for (let i = 0; i < config.loads; i++) {
      const cp = new Checkpoint(`${config.key}.loader-${config.saver}`, config.key, {
        storage,
        tmpDir: config.workDir,
        onWarning: () => undefined,
      });
      try {
        const path = i % 2 === 0 ? await cp.load() : cp.loadSync();
        report.loads++;
        const info = cp.lastLoad;
        if (path === undefined || info === undefined) {
          report.errors.push(`load ${i}: no checkpoint found`);
          continue;
        }
        report.formats[info.format]++;
        if (info.verified) report.verified++;
        const problem = checkLoaded(path, info.format, config.workDir);
        if (problem !== undefined) report.torn.push(`load ${i}: ${problem}`);
      } catch (error) {
        report.loads++;
        report.errors.push(`load ${i} (${i % 2 === 0 ? "load" : "loadSync"}): ${String(error)}`);
      } finally {
        cp.dispose();
      }
    }
  } finally {
    await storage.close?.();
  }
  return report;
}

main().then(
  (report) => {
    writeSync(1, `${JSON.stringify(report)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    writeSync(2, `loader failed: ${String((error as Error)?.stack ?? error)}\n`);
    process.exit(3);
  },
);
