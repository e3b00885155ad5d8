/**
 * The `flyte-task` flag parser, for fuzzing in-process. The SDK does not export it (it is an
 * internal seam of the bin), so it is loaded from the SDK's sources, found through the package's
 * own location; this is the one place the suite reaches inside a sibling, and only for a pure
 * function. Asked of the SDK: an `@flyte/sdk/entrypoint` subpath exporting it.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The parser's shape, as far as the fuzz test needs it. */
export interface EntrypointParser {
  parseEntrypointArgs(
    argv: readonly string[],
    env: Readonly<Record<string, string | undefined>>,
  ): { kind: "help" } | { kind: "run"; config: object };
  EntrypointError: new (...args: never[]) => Error;
}

/** Loads `parseEntrypointArgs` and `EntrypointError` from the SDK's sources. */
export async function loadEntrypointParser(): Promise<EntrypointParser> {
  const sdkDir = dirname(createRequire(__filename).resolve("@flyte/sdk/package.json"));
  const entry = join(sdkDir, "src", "entrypoint");
  const parser = (await import(join(entry, "parseEntrypointArgs.ts"))) as Pick<
    EntrypointParser,
    "parseEntrypointArgs"
  >;
  const errors = (await import(join(entry, "EntrypointError.ts"))) as Pick<
    EntrypointParser,
    "EntrypointError"
  >;
  return { ...parser, ...errors };
}
