import { parseArgs } from "node:util";
import { normalizeTemplateValue } from "@flyte/context-core";
import { mergeCustomContext } from "@flyte/custom-context";
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
  const options: Record<
    string,
    { type: "string" | "boolean"; short?: string; multiple?: boolean }
  > = {
    help: { type: "boolean", short: "h" },
  };
  for (const f of ENTRYPOINT_FLAGS) {
    options[f.flag] = {
      type: "string",
      ...(f.short !== undefined && { short: f.short }),
      ...(f.multiple === true && { multiple: true }),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new EntrypointError((err as Error).message, { cause: err });
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
      `missing required value${missing.length > 1 ? "s" : ""}: ${list.join(", ")}`,
      { source: `--${missing[0]!.flag}` },
    );
  }

  const [modulePath, taskName, ...extra] = parsed.positionals;
  if (modulePath === undefined || taskName === undefined) {
    throw new EntrypointError(
      "expected <module> <task> after the flags (e.g. flyte-task ... ./tasks.js main)",
      { source: modulePath === undefined ? "<module>" : "<task>" },
    );
  }
  // An empty or unsubstituted name would only fail later, as a module that cannot load (exit 3),
  // or be imported as a path: it is a usage error, like an absent one.
  for (const [which, value] of [
    ["<module>", modulePath],
    ["<task>", taskName],
  ] as const) {
    if (normalizeTemplateValue(value) === undefined) {
      throw new EntrypointError(
        `${which} must not be empty or an unsubstituted template, got ${JSON.stringify(value)}`,
        {
          source: which,
        },
      );
    }
  }
  if (extra.length > 0) {
    throw new EntrypointError(
      `unexpected argument${extra.length > 1 ? "s" : ""} ${extra.map((e) => JSON.stringify(e)).join(" ")} after <module> <task>`,
      {
        source: "<task>",
      },
    );
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
    ...customContextFlags(values["custom-context"] as string[] | undefined),
    ...(read("args") === undefined ? {} : { argsJson: read("args")! }),
  };
  return { kind: "run", config };
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * `--custom-context key=value`, repeatable: checked as a scope checks its values (a reserved or
 * malformed key, `__proto__` included, is refused here, naming it).
 */
function customContextFlags(given: readonly string[] | undefined): {
  customContext?: Readonly<Record<string, string>>;
} {
  if (given === undefined || given.length === 0) return {};
  const pairs: Array<[string, string]> = [];
  for (const item of given) {
    const eq = item.indexOf("=");
    if (eq <= 0) {
      throw new EntrypointError(`--custom-context wants key=value, got ${JSON.stringify(item)}`, {
        source: "--custom-context",
      });
    }
    pairs.push([item.slice(0, eq), item.slice(eq + 1)]);
  }
  try {
    // fromEntries makes own data properties, so "__proto__" is a key to refuse, not a prototype.
    return { customContext: mergeCustomContext(Object.fromEntries(pairs)) };
  } catch (err) {
    throw new EntrypointError(`--custom-context was refused: ${(err as Error).message}`, {
      source: "--custom-context",
      cause: err,
    });
  }
}
