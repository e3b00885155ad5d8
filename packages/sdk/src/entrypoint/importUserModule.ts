import { existsSync, statSync } from "node:fs";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { EntrypointError } from "./EntrypointError.js";
import { ExitCode } from "./exitCodes.js";

const TYPESCRIPT = new Set([".ts", ".mts", ".cts", ".tsx"]);
let tsxRegistered = false;

/**
 * Loads the user's module, TypeScript included (through tsx's loader hooks, registered on first
 * use — running an already-hooked process again is harmless). Returns its exports, with those of
 * a CommonJS `module.exports` object folded in, so tasks are found however the file was compiled.
 *
 * A path that does not exist is refused before anything is imported; an import that throws is an
 * {@link EntrypointError} with exit code 3 and the module's error as `cause`.
 */
export async function importUserModule(
  modulePath: string,
  cwd: string = process.cwd(),
): Promise<Record<string, unknown>> {
  const abs = resolve(cwd, modulePath);
  if (!existsSync(abs) || !statSync(abs).isFile()) {
    throw new EntrypointError(`module not found: ${modulePath} (looked at ${abs})`, {
      exitCode: ExitCode.LOAD_FAILED,
      source: "<module>",
    });
  }
  if (TYPESCRIPT.has(extname(abs)) && !tsxRegistered) {
    // Both hooks: a .ts file outside a "type": "module" package is loaded as CommonJS.
    const [esm, cjs] = await Promise.all([import("tsx/esm/api"), import("tsx/cjs/api")]);
    esm.register();
    cjs.register();
    tsxRegistered = true;
  }
  let ns: Record<string, unknown>;
  try {
    ns = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (err) {
    throw new EntrypointError(`could not load ${modulePath}: ${describe(err)}`, {
      exitCode: ExitCode.LOAD_FAILED,
      source: "<module>",
      cause: err,
    });
  }
  const exports: Record<string, unknown> = {};
  const def = ns["default"];
  if (def !== null && typeof def === "object") Object.assign(exports, def);
  Object.assign(exports, ns);
  return exports;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
