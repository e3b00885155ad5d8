import { ENTRYPOINT_FLAGS } from "../entrypoint/entrypointFlags.js";
import { ExitCode } from "../entrypoint/exitCodes.js";

/** `flyte --help` */
export const FLYTE_HELP = `flyte — run Flyte tasks written in TypeScript

Usage:
  flyte run [options] <file.ts|.js> <task> [--<param> value ...] [-- ...]
  flyte checkpoint inspect [--json] <uri>
  flyte --help | flyte <command> --help

Commands:
  run                   run a task locally, with retries and checkpoints, and print its result
  checkpoint inspect    show what a checkpoint holds: format, size, manifest, files

Exit codes:
  ${ExitCode.OK}  success
  ${ExitCode.TASK_FAILED}  the task failed (after its retries) / the checkpoint could not be read
  ${ExitCode.USAGE}  bad command line
  ${ExitCode.LOAD_FAILED}  the file could not be loaded, or has no such task
`;

/** `flyte run --help` */
export const RUN_HELP = `flyte run — run a task locally

Usage:
  flyte run [options] <file.ts|.js> <task> [--<param> value ...] [-- ...]

<file> is a module that defines the task (TypeScript runs as is, no build step).
<task> is the task's name (its function's name) or the name of the export that holds it.

Task arguments:
  --<param> value       by parameter name (--n-iterations and --nIterations both work)
  --<param>=value       the same
  --<flag>              true
  value                 positional, in parameter order
  Values are coerced: to the type of the parameter's default when it has one (n = 3 → number),
  otherwise JSON where it parses (3, true, null, [1,2], {"a":1}), otherwise a string.
  After "--" every argument is the task's, even one named like an option below.

Options:
  --json                machine output: the last line of stdout is one JSON object
                        {"ok":true,"result":...,"run":...} (or {"ok":false,"error":...})
  --run-name <name>     the run's name (default: a random one)
  --raw-data-path <p>   where raw data and checkpoints go (a path or a URI: memory://, s3://...)
  --custom-context k=v  run-level custom context (repeatable)
  -q, --quiet           no progress lines on stderr
  -h, --help            this help

Progress goes to stderr, one line per action attempt: start, retry, checkpoint load, result.

Exit codes: ${ExitCode.OK} success, ${ExitCode.TASK_FAILED} task failed, ${ExitCode.USAGE} bad command line, ${ExitCode.LOAD_FAILED} file or task not found.
`;

/** `flyte checkpoint inspect --help` */
export const INSPECT_HELP = `flyte checkpoint inspect — show what a checkpoint holds

Usage:
  flyte checkpoint inspect [--json] <uri>

<uri> is the checkpoint object: a local path, file://, memory://, s3://bucket/key, abfs://...
Prints the format (dir = gzip tar of a directory, bytes/file stored raw), size, etag, the
integrity manifest (<uri>.manifest.json, when @flyte/checkpoint wrote it) and, for a directory,
its files. Nothing is downloaded in full or restored.

Exit codes: ${ExitCode.OK} a checkpoint is there, ${ExitCode.TASK_FAILED} nothing at that URI or it cannot be read, ${ExitCode.USAGE} bad command line.
`;

/** `flyte-task --help`, written from the contract table. */
export function flyteTaskHelp(): string {
  const rows = ENTRYPOINT_FLAGS.map((f) => {
    const name = `${f.short === undefined ? "    " : `-${f.short}, `}--${f.flag}`;
    const env = f.env === undefined ? "" : ` [env ${f.env}]`;
    return `  ${name.padEnd(24)}${f.required ? "(required) " : ""}${f.meaning}${env}`;
  });
  return `flyte-task — run one task of a module the way a Flyte container runs it

Usage:
  flyte-task [flags] <module> <task>

A flag beats its environment variable. An empty value, '""' or an unsubstituted {{...}}
template counts as absent. Every value is checked before the module is loaded: a bad or
missing one stops here, with no user code run.

Flags:
${rows.join("\n")}
  -h, --help              this help

On success the last line of stdout is {"result": ...}, and <outputs-path>/outputs.json holds
the same; on failure <outputs-path>/error.json describes the error.

Exit codes:
  ${ExitCode.OK}  the task returned
  ${ExitCode.TASK_FAILED}  the task threw
  ${ExitCode.USAGE}  a flag or environment variable is missing or malformed (no user code ran)
  ${ExitCode.LOAD_FAILED}  the module could not be loaded, or has no such task
  ${ExitCode.IO_FAILED}  the inputs could not be read or the outputs could not be written
`;
}
