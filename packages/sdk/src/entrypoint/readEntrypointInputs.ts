import { statSync } from "node:fs";

import { mergeCustomContext } from "@flyte/custom-context";
import { resolveStorage } from "@flyte/storage-adapters";
import { decodeInputs } from "@flyte/type-engine";
import type { NamedLiteral } from "@flyte/type-engine";

import type { EntrypointConfig } from "./EntrypointConfig.js";
import { EntrypointError } from "./EntrypointError.js";
import { ExitCode } from "./exitCodes.js";
import { localPathOf } from "./localPathOf.js";

/** What the entrypoint read of its inputs before any user code runs. */
export interface EntrypointInputs {
  /** The `Inputs.literals` of `--inputs`, in declaration order (empty without `--inputs`). */
  readonly literals: readonly NamedLiteral[];
  /** The custom context: `Inputs.context` (reserved key excluded), with `--custom-context` on top. */
  readonly customContext: Readonly<Record<string, string>>;
  /** The input the platform asks to fill with the run's start time (`_u_kickoff_time_input_arg`). */
  readonly kickoffInput?: string;
}

/** The largest `inputs.pb` the entrypoint reads (inputs this large belong in files, as blobs). */
export const MAX_INPUTS_BYTES = 256 * 1024 * 1024;

/**
 * Reads `--inputs` (a `flyteidl2.task.Inputs` file at a path or URI) and the custom context,
 * checked before any user code runs: a file that is missing, not a regular file, too large or not
 * an Inputs message exits 4 (no `error.pb`: nothing to attribute it to); a custom context the
 * scope rules refuse exits 2. Giving both `--inputs` with literals and `--args` is refused as
 * ambiguous.
 */
export async function readEntrypointInputs(config: EntrypointConfig): Promise<EntrypointInputs> {
  let literals: readonly NamedLiteral[] = [];
  let context: Readonly<Record<string, string>> = {};
  let kickoffInput: string | undefined;
  if (config.inputsUri !== undefined) {
    const bytes = await readInputsFile(config.inputsUri);
    let decoded: ReturnType<typeof decodeInputs>;
    try {
      decoded = decodeInputs(bytes);
    } catch (err) {
      throw new EntrypointError(
        `--inputs ${config.inputsUri} is not a flyteidl2.task.Inputs file: ${(err as Error).message}`,
        {
          exitCode: ExitCode.IO_FAILED,
          source: "--inputs",
          cause: err,
        },
      );
    }
    literals = decoded.literals;
    context = decoded.context;
    kickoffInput = decoded.kickoffInput;
    if (config.argsJson !== undefined && literals.length > 0) {
      throw new EntrypointError("--args and --inputs both give the task's inputs; give one", {
        source: "--args",
      });
    }
  }
  let customContext: Readonly<Record<string, string>>;
  try {
    customContext = mergeCustomContext(context, config.customContext);
  } catch (err) {
    throw new EntrypointError(
      `the custom context of --inputs ${config.inputsUri ?? ""} was refused: ${(err as Error).message}`,
      {
        source: "--inputs",
        cause: err,
      },
    );
  }
  return { literals, customContext, ...(kickoffInput !== undefined && { kickoffInput }) };
}

async function readInputsFile(uri: string): Promise<Uint8Array> {
  const local = localPathOf(uri);
  if (local !== undefined) {
    let kind: string | undefined;
    try {
      const st = statSync(local);
      if (st.isDirectory()) kind = "is a directory, not an inputs.pb file";
      else if (!st.isFile()) kind = "is not a regular file";
      else if (st.size > MAX_INPUTS_BYTES)
        kind = `is ${st.size} bytes, more than the ${MAX_INPUTS_BYTES} an inputs.pb may have`;
    } catch (err) {
      kind =
        (err as NodeJS.ErrnoException).code === "ENOENT"
          ? "does not exist"
          : `cannot be read: ${(err as Error).message}`;
    }
    if (kind !== undefined) {
      throw new EntrypointError(`--inputs ${uri} ${kind}`, {
        exitCode: ExitCode.IO_FAILED,
        source: "--inputs",
      });
    }
  }
  try {
    const { storage, key } = resolveStorage(uri);
    const meta = await storage.head(key);
    if (meta === null)
      throw new EntrypointError(`--inputs ${uri} does not exist`, {
        exitCode: ExitCode.IO_FAILED,
        source: "--inputs",
      });
    if (meta.size > MAX_INPUTS_BYTES) {
      throw new EntrypointError(
        `--inputs ${uri} is ${meta.size} bytes, more than the ${MAX_INPUTS_BYTES} an inputs.pb may have`,
        {
          exitCode: ExitCode.IO_FAILED,
          source: "--inputs",
        },
      );
    }
    return await storage.get(key);
  } catch (err) {
    if (err instanceof EntrypointError) throw err;
    throw new EntrypointError(`--inputs ${uri} could not be read: ${(err as Error).message}`, {
      exitCode: ExitCode.IO_FAILED,
      source: "--inputs",
      cause: err,
    });
  }
}
