import { ENTRYPOINT_FLAGS } from "../entrypoint/entrypointFlags.js";
import { ExitCode, exitCodeHelp } from "../entrypoint/exitCodes.js";

/** `flyte --help` */
export const FLYTE_HELP = `flyte — run Flyte tasks written in TypeScript

Usage:
  flyte run [options] <file.ts|.js> <task> [--<input> value ...] [-- ...]
  flyte checkpoint inspect [--json] <uri>
  flyte --version | flyte --help | flyte <command> --help

Commands:
  run                   run a task locally — retries, checkpoints, cache, resume — and print its result
  checkpoint inspect    show what a checkpoint holds: format, size, manifest, files

Exit codes:
${exitCodeHelp("flyte")}
`;

/** `flyte run --help` */
export const RUN_HELP = `flyte run — run a task locally

Usage:
  flyte run [options] <file.ts|.js> <task> [--<input> value ...] [-- ...]

<file> is a module that defines the task (TypeScript runs through tsx when it is installed, else
through Node's own type stripping). <task> is the task's name or the name of the export that holds it.

Task arguments:
  --<input> value       by name (--n-iterations and --nIterations both work)
  --<input>=value       the same
  --<flag>              true
  value                 positional, in input order
  A task with declared inputs (inputs: { n: z.int() }) parses each value by its type: --n 007 is
  the integer 7, --n abc is refused; lists, maps and objects are JSON; files and folders are paths.
  An undeclared task coerces a value to its parameter default's type (n = 3 → number), otherwise
  as JSON where it parses (3, true, null, [1,2], {"a":1}), otherwise keeps the string.
  After "--" every argument is the task's, even one named like an option below.

Options:
  --json                machine output: the last line of stdout is one JSON object
                        {"ok":true,"run":...,"result":...,"summary":{...}} (or {"ok":false,"error":...})
  --run-name <name>     the run's name (default: a random one); a name that has data is refused
  --resume <name>       continue run <name> that died or was cancelled: finished actions are reused,
                        interrupted ones resume from their last checkpoint (same task, code, inputs)
  --raw-data-path <p>   where runs keep inputs, outputs and checkpoints (a path or a URI: memory://, s3://...)
  --cache-path <p>      where the task cache lives (default: <raw data path>/_cache)
  --overwrite-cache     run cached tasks anyway and store their new outputs
  --disable-run-cache   neither read nor write the task cache in this run
  --custom-context k=v  run-level custom context (repeatable)
  -q, --quiet           no progress lines on stderr
  -h, --help            this help

Progress goes to stderr, one line per action attempt: start, retry, timeout, checkpoint load,
reuse of a finished action, cache hit, result. Ctrl-C cancels the run (Ctrl-C twice: at once).

Exit codes:
${exitCodeHelp("flyte")}
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

On success <outputs-path>/outputs.pb holds the outputs (flyteidl2.task.Outputs: o0, o1, …; 0
bytes for none) and the last line of stdout is {"result": ...}; when the task fails,
<outputs-path>/error.pb holds a flyteidl2.core.ErrorDocument and the exit code is still 0, as
Flyte expects.

Exit codes:
${exitCodeHelp("flyteTask")}
`;
}
