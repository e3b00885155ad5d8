import { parseArgs } from "node:util";
import { EntrypointError } from "../entrypoint/EntrypointError.js";

/** The options `flyte run` itself takes; every other `--x` belongs to the task. */
export const RUN_OPTIONS = {
  json: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
  "raw-data-path": { type: "string" },
  "run-name": { type: "string" },
  resume: { type: "string" },
  "custom-context": { type: "string", multiple: true },
  "overwrite-cache": { type: "boolean" },
  "disable-run-cache": { type: "boolean" },
  "cache-path": { type: "string" },
} as const;

/** One argument meant for the task: `--name value`, `--flag`, or a bare positional value. */
export type TaskToken =
  { kind: "named"; name: string; value: string | true } | { kind: "positional"; value: string };

/** What `flyte run` was asked. */
export interface RunArgs {
  readonly help: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly file?: string;
  readonly task?: string;
  readonly rawDataPath?: string;
  readonly runName?: string;
  /** `--resume <run-name>`: continue that run. */
  readonly resume?: string;
  readonly overwriteCache: boolean;
  readonly disableRunCache: boolean;
  readonly cachePath?: string;
  /** `--custom-context key=value` pairs, in order (checked by the caller, as a scope checks them). */
  readonly customContext: ReadonlyArray<readonly [string, string]>;
  readonly taskTokens: readonly TaskToken[];
}

const VALUED = new Set(
  Object.entries(RUN_OPTIONS)
    .filter(([, o]) => o.type === "string")
    .map(([k]) => `--${k}`),
);
const FLAGS = new Set([
  ...Object.entries(RUN_OPTIONS)
    .filter(([, o]) => o.type === "boolean")
    .map(([k]) => `--${k}`),
  "-q",
  "-h",
]);

/**
 * Splits `flyte run [options] <file> <task> [--param value …] [-- …]` into the CLI's own options
 * (parsed strictly by `util.parseArgs`) and the task's arguments. The CLI's options are
 * recognised anywhere before `--`; after `--` everything is the task's, so a parameter called
 * `json` can still be passed. A single-dash word that is not one of the CLI's short options
 * (`-n 5`) is refused — task parameters take two dashes — rather than taken as a value; a
 * negative number (`-5`) is a value.
 */
export function parseRunArgs(argv: readonly string[]): RunArgs {
  const own: string[] = [];
  const positionals: string[] = [];
  const taskTokens: TaskToken[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      i++;
      break;
    }
    const key = a.includes("=") ? a.slice(0, a.indexOf("=")) : a;
    if (FLAGS.has(a)) {
      own.push(a);
    } else if (VALUED.has(key)) {
      own.push(a);
      if (!a.includes("=")) {
        const v = argv[++i];
        if (v === undefined) throw new EntrypointError(`${a} needs a value`, { source: a });
        own.push(v);
      }
    } else if (a.startsWith("--") && a.length > 2) {
      if (positionals.length < 2) {
        throw new EntrypointError(
          `unknown option ${a} before <file> <task> (task arguments go after the task name)`,
          { source: a },
        );
      }
      i = readNamed(argv, i, taskTokens);
    } else if (/^-[A-Za-z]/.test(a)) {
      throw new EntrypointError(
        `unknown option ${a}${positionals.length >= 2 ? ` (task parameters take two dashes: --${a.slice(1)})` : ""}`,
        { source: a },
      );
    } else if (positionals.length < 2) {
      positionals.push(a);
    } else {
      taskTokens.push({ kind: "positional", value: a });
    }
  }
  // After `--`: the task's, verbatim.
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith("--") && a.length > 2) i = readNamed(argv, i, taskTokens);
    else taskTokens.push({ kind: "positional", value: a });
  }

  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: own, options: RUN_OPTIONS, strict: true, allowPositionals: false })
      .values as Record<string, unknown>;
  } catch (err) {
    throw new EntrypointError((err as Error).message, { cause: err });
  }
  const customContext: Array<readonly [string, string]> = [];
  for (const pair of (values["custom-context"] as string[] | undefined) ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) {
      throw new EntrypointError(`--custom-context wants key=value, got ${JSON.stringify(pair)}`, {
        source: "--custom-context",
      });
    }
    customContext.push([pair.slice(0, eq), pair.slice(eq + 1)]);
  }
  const resume = values["resume"] as string | undefined;
  const runName = values["run-name"] as string | undefined;
  if (resume !== undefined && runName !== undefined && resume !== runName) {
    throw new EntrypointError(
      `--resume ${resume} and --run-name ${runName} name different runs; give one`,
      { source: "--resume" },
    );
  }
  const [file, task] = positionals;
  return {
    help: values["help"] === true,
    json: values["json"] === true,
    quiet: values["quiet"] === true,
    ...(file !== undefined && { file }),
    ...(task !== undefined && { task }),
    ...(values["raw-data-path"] !== undefined && {
      rawDataPath: values["raw-data-path"] as string,
    }),
    ...((resume ?? runName) !== undefined && { runName: (resume ?? runName)! }),
    ...(resume !== undefined && { resume }),
    overwriteCache: values["overwrite-cache"] === true,
    disableRunCache: values["disable-run-cache"] === true,
    ...(values["cache-path"] !== undefined && { cachePath: values["cache-path"] as string }),
    customContext,
    taskTokens,
  };
}

function readNamed(argv: readonly string[], i: number, out: TaskToken[]): number {
  const a = argv[i]!;
  const eq = a.indexOf("=");
  if (eq > 0) {
    out.push({ kind: "named", name: a.slice(2, eq), value: a.slice(eq + 1) });
    return i;
  }
  const next = argv[i + 1];
  if (next === undefined || (next.startsWith("--") && next.length > 2)) {
    out.push({ kind: "named", name: a.slice(2), value: true });
    return i;
  }
  out.push({ kind: "named", name: a.slice(2), value: next });
  return i + 1;
}
