import { decodeCustomContext } from "@flyte/custom-context";
import { resolveStorage } from "@flyte/storage-adapters";
import type { EntrypointConfig } from "./EntrypointConfig.js";
import { EntrypointError } from "./EntrypointError.js";
import { ExitCode } from "./exitCodes.js";

/** The task's arguments and custom context, read and checked before any user code runs. */
export interface EntrypointInputs {
  readonly args: readonly unknown[];
  readonly customContext: Readonly<Record<string, string>>;
}

const INPUT_FIELDS = new Set(["args", "context"]);

/**
 * Reads `--inputs` (a JSON document `{ "args": [...], "context": "<custom context wire form>" }`
 * at a path or URI), `--args` (a JSON array) and `--custom-context` (a wire form). The wire form
 * is decoded strictly by `@flyte/custom-context` (checksum, limits, reserved keys); a
 * `--custom-context` flag replaces the document's `context` (the flag beats the file, as a flag
 * beats a variable). Giving both `--inputs` args and `--args` is refused as ambiguous.
 */
export async function readEntrypointInputs(config: EntrypointConfig): Promise<EntrypointInputs> {
  let args: unknown[] = [];
  let wire: { text: string; source: string } | undefined;
  let argsFromInputs = false;

  if (config.inputsUri !== undefined) {
    const doc = await readJsonDocument(config.inputsUri);
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
      throw new EntrypointError(
        `--inputs ${config.inputsUri} must hold a JSON object { "args": [...], "context": "..." }`,
        {
          source: "--inputs",
        },
      );
    }
    const record = doc as Record<string, unknown>;
    const unknown = Object.keys(record).find((k) => !INPUT_FIELDS.has(k));
    if (unknown !== undefined) {
      throw new EntrypointError(
        `--inputs ${config.inputsUri} has an unknown field ${JSON.stringify(unknown)} (known: args, context)`,
        {
          source: "--inputs",
        },
      );
    }
    if (record["args"] !== undefined) {
      if (!Array.isArray(record["args"])) {
        throw new EntrypointError(`--inputs ${config.inputsUri}: "args" must be an array`, {
          source: "--inputs",
        });
      }
      args = record["args"] as unknown[];
      argsFromInputs = true;
    }
    if (record["context"] !== undefined) {
      if (typeof record["context"] !== "string") {
        throw new EntrypointError(
          `--inputs ${config.inputsUri}: "context" must be a custom context wire form (a string)`,
          {
            source: "--inputs",
          },
        );
      }
      wire = { text: record["context"], source: "--inputs context" };
    }
  }

  if (config.argsJson !== undefined) {
    if (argsFromInputs) {
      throw new EntrypointError("--args and --inputs both give the task's arguments; give one", {
        source: "--args",
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(config.argsJson);
    } catch (err) {
      throw new EntrypointError(`--args must be a JSON array: ${(err as Error).message}`, {
        source: "--args",
        cause: err,
      });
    }
    if (!Array.isArray(parsed)) {
      throw new EntrypointError(
        `--args must be a JSON array, got ${JSON.stringify(config.argsJson)}`,
        { source: "--args" },
      );
    }
    args = parsed as unknown[];
  }

  if (config.customContextWire !== undefined)
    wire = { text: config.customContextWire, source: "--custom-context" };
  let customContext: Readonly<Record<string, string>> = Object.freeze({});
  if (wire !== undefined) {
    try {
      customContext = decodeCustomContext(wire.text);
    } catch (err) {
      throw new EntrypointError(`${wire.source} was refused: ${(err as Error).message}`, {
        source: wire.source,
        cause: err,
      });
    }
  }
  return { args, customContext };
}

async function readJsonDocument(uri: string): Promise<unknown> {
  let text: string;
  try {
    const { storage, key } = resolveStorage(uri);
    text = new TextDecoder("utf-8", { fatal: true }).decode(await storage.get(key));
  } catch (err) {
    throw new EntrypointError(`--inputs ${uri} could not be read: ${(err as Error).message}`, {
      exitCode: ExitCode.IO_FAILED,
      source: "--inputs",
      cause: err,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new EntrypointError(`--inputs ${uri} is not JSON: ${(err as Error).message}`, {
      source: "--inputs",
      cause: err,
    });
  }
}
