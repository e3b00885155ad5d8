import type { ExitCodeValue } from "./exitCodes.js";
import { ExitCode } from "./exitCodes.js";

/**
 * Why the entrypoint or the CLI refused to go on. `source` names the flag or the environment
 * variable that was wrong (`--run-name`, `FLYTE_ATTEMPT_NUMBER`, …) so the message points at the
 * line of the pod spec to fix; `exitCode` is what the process exits with.
 */
export class EntrypointError extends Error {
  override readonly name = "EntrypointError";
  readonly exitCode: ExitCodeValue;
  readonly source: string | undefined;

  constructor(
    message: string,
    options: { exitCode?: ExitCodeValue; source?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options.exitCode ?? ExitCode.USAGE;
    this.source = options.source;
  }
}
