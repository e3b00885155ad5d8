import { ActionID, CheckpointPaths, RawDataPath, TaskContext } from "@flyte/context-core";
import type { CheckpointFactory } from "@flyte/context-core";
import { resolveStorage } from "@flyte/storage-adapters";
import { joinUri } from "../paths.js";
import type { EntrypointConfig } from "./EntrypointConfig.js";
import { EntrypointError } from "./EntrypointError.js";

/**
 * The TaskContext of the action the entrypoint runs, built from its validated flags, as the
 * Python SDK's `convert_and_run` builds it: mode `remote`, `attemptNumber` parsed once from
 * `--attempt-number`/`FLYTE_ATTEMPT_NUMBER`, the platform's checkpoint paths, and the output path
 * `--outputs-path` (else `<run-base-dir>/<action>`). Every URI is resolved to its storage first,
 * so an unknown scheme or a malformed bucket is refused here, before user code runs.
 */
export function buildEntrypointContext(
  config: EntrypointConfig,
  customContext: Readonly<Record<string, string>>,
  checkpointFactory: CheckpointFactory,
): TaskContext {
  const uris: Array<[string, string | undefined]> = [
    ["--raw-data-path", config.rawDataPath],
    ["--checkpoint-path", config.checkpointPath],
    ["--prev-checkpoint", config.prevCheckpointPath],
    ["--outputs-path", config.outputsPath],
    ["--run-base-dir", config.runBaseDir],
  ];
  for (const [flag, uri] of uris) {
    if (uri === undefined) continue;
    try {
      resolveStorage(uri);
    } catch (err) {
      throw new EntrypointError(`${flag} ${uri} cannot be used: ${(err as Error).message}`, {
        source: flag,
        cause: err,
      });
    }
  }
  const action = new ActionID({
    name: config.actionName,
    runName: config.runName,
    project: config.project,
    domain: config.domain,
    org: config.org,
  });
  return new TaskContext({
    action,
    version: config.version,
    // Without --raw-data-path the Python SDK builds RawDataPath(None). Here: a folder of the run
    // (never a temporary folder that would outlive the pod's process, or vanish with its data).
    rawDataPath: new RawDataPath(config.rawDataPath ?? joinUri(config.runBaseDir, "_raw")),
    ...(config.inputsUri === undefined ? {} : { inputPath: config.inputsUri }),
    outputPath: config.outputsPath ?? joinUri(config.runBaseDir, config.actionName),
    runBaseDir: config.runBaseDir,
    checkpointPaths: new CheckpointPaths({
      checkpointPath: config.checkpointPath ?? null,
      prevCheckpointPath: config.prevCheckpointPath ?? null,
    }),
    mode: "remote",
    customContext,
    attemptNumber: config.attemptNumber,
    runStartTime: config.runStartTime,
    checkpointFactory,
  });
}
