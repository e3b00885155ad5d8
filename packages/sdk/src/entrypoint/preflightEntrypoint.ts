import { preflightStorage } from "@flyte/storage-adapters";

import type { EntrypointConfig } from "./EntrypointConfig.js";
import { EntrypointError } from "./EntrypointError.js";

/**
 * Checks, before any user code runs, that the storage of every URI the attempt will use can
 * work: the scheme's adapter and SDK load, the URI's names are valid. A failure is a usage error
 * (exit 2) naming the flag, not a task failure found at the first checkpoint save.
 */
export async function preflightEntrypoint(config: EntrypointConfig): Promise<void> {
  const uris: Array<[string, string | undefined]> = [
    ["--outputs-path", config.outputsPath],
    ["--checkpoint-path", config.checkpointPath],
    ["--prev-checkpoint", config.prevCheckpointPath],
    ["--raw-data-path", config.rawDataPath],
    ["--run-base-dir", config.runBaseDir],
  ];
  for (const [flag, uri] of uris) {
    if (uri === undefined) continue;
    try {
      await preflightStorage(uri);
    } catch (err) {
      throw new EntrypointError(
        `${flag} ${uri} cannot be used: ${(err as { detail?: string }).detail ?? (err as Error).message}`,
        {
          source: flag,
          cause: err,
        },
      );
    }
  }
}
