import { parseArgs } from "node:util";
import { normalizeTemplateValue } from "@flyte/context-core";
import type { EntrypointConfig } from "./EntrypointConfig.js";
import { EntrypointError } from "./EntrypointError.js";
import { ENTRYPOINT_FLAGS } from "./entrypointFlags.js";
import { parseAttemptNumber } from "./parseAttemptNumber.js";
import { parseRunStartTime } from "./parseRunStartTime.js";

/** What `flyte-task` was asked to do: run a task, or print its help. */
export type EntrypointRequest = { kind: "help" } | { kind: "run"; config: EntrypointConfig };

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads `flyte-task [flags] <module> <task>` the way the Python SDK's runtime reads its command
 * line: a flag beats its environment variable; an empty value, `'""'` or an unsubstituted
 * `{{...}}` template counts as absent (so the variable is read instead). Pure: reads nothing but
 * `argv` and `env`, loads no code. Every refusal is an {@link EntrypointError} naming the flag or
 * variable, with exit code 2.
 */
export function parseEntrypointArgs(argv: readonly string[], env: Env): EntrypointRequest {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const f of ENTRYPOINT_FLAGS) {
    options[f.flag] =
      f.short === undefined ? { type: "string" } : { type: "string", short: f.short };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new EntrypointError(`flyte-task: ${(err as Error).message}`, { cause: err });
  }
  if (parsed.values["help"] === true) return { kind: "help" };

  const values = parsed.values as Record<string, string | boolean | undefined>;
  const read = (flag: string): string | undefined => {
    const def = ENTRYPOINT_FLAGS.find((f) => f.flag === flag)!;
    const fromFlag = normalizeTemplateValue(values[flag] as string | undefined);
    if (fromFlag !== undefined) return fromFlag;
    return def.env === undefined ? undefined : normalizeTemplateValue(env[def.env]);
  };
  const sourceOf = (flag: string): string => {
    const def = ENTRYPOINT_FLAGS.find((f) => f.flag === flag)!;
    if (normalizeTemplateValue(values[flag] as string | undefined) !== undefined)
      return `--${flag}`;
    return def.env ?? `--${flag}`;
  };

  const missing = ENTRYPOINT_FLAGS.filter((f) => f.required && read(f.flag) === undefined);
  if (missing.length > 0) {
    const list = missing.map((f) => (f.env ? `--${f.flag} (or ${f.env})` : `--${f.flag}`));
    throw new EntrypointError(
      `flyte-task: missing required value${missing.length > 1 ? "s" : ""}: ${list.join(", ")}`,
      { source: `--${missing[0]!.flag}` },
    );
  }

  const [modulePath, taskName, ...extra] = parsed.positionals;
  if (modulePath === undefined || taskName === undefined) {
    throw new EntrypointError(
      "flyte-task: expected <module> <task> after the flags (e.g. flyte-task ... ./tasks.js main)",
      { source: modulePath === undefined ? "<module>" : "<task>" },
    );
  }
  // An empty or unsubstituted name would only fail later, as a module that cannot load (exit 3),
  // or be imported as a path: it is a usage error, like an absent one.
  for (const [which, value] of [["<module>", modulePath], ["<task>", taskName]] as const) {
    if (normalizeTemplateValue(value) === undefined) {
      throw new EntrypointError(`flyte-task: ${which} must not be empty or an unsubstituted template, got ${JSON.stringify(value)}`, {
        source: which,
      });
    }
  }
  if (extra.length > 0) {
    throw new EntrypointError(`flyte-task: unexpected argument ${JSON.stringify(extra[0])}`, {
      source: "<task>",
    });
  }

  const attemptNumber = parseAttemptNumber(read("attempt-number"), sourceOf("attempt-number"));
  const optional = (flag: string): Record<string, string> => {
    const v = read(flag);
    return v === undefined ? {} : { [camel(flag)]: v };
  };
  const prev = read("prev-checkpoint");
  const config: EntrypointConfig = {
    modulePath,
    taskName,
    runName: read("run-name")!,
    actionName: read("name")!,
    project: read("project")!,
    domain: read("domain")!,
    org: read("org")!,
    runBaseDir: read("run-base-dir")!,
    attemptNumber,
    version: read("version") ?? "na",
    runStartTime: parseRunStartTime(read("run-start-time")),
    ...optional("raw-data-path"),
    ...optional("checkpoint-path"),
    ...(prev === undefined ? {} : { prevCheckpointPath: prev }),
    ...(read("inputs") === undefined ? {} : { inputsUri: read("inputs")! }),
    ...optional("outputs-path"),
    ...(read("custom-context") === undefined ? {} : { customContextWire: read("custom-context")! }),
    ...(read("args") === undefined ? {} : { argsJson: read("args")! }),
  };
  return { kind: "run", config };
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
