import { ActionID, CheckpointPaths, RawDataPath, TaskContext } from "@flyte/context-core";
import type { CheckpointFactory } from "@flyte/context-core";
import { joinUri } from "../paths.js";
import type { EntrypointConfig } from "./EntrypointConfig.js";

/**
 * The TaskContext of the action the entrypoint runs, built from its validated flags, as the
 * Python SDK's `convert_and_run` builds it: mode `remote`, `attemptNumber` parsed once from
 * `--attempt-number`/`FLYTE_ATTEMPT_NUMBER`, the platform's checkpoint paths, and the output path
 * `--outputs-path` (else `<run-base-dir>/<action>`). Its URIs were checked before
 * (`preflightEntrypoint`), before any user code ran.
 */
export function buildEntrypointContext(
  config: EntrypointConfig,
  customContext: Readonly<Record<string, string>>,
  checkpointFactory: CheckpointFactory,
): TaskContext {
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
