import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { EntrypointError } from "./EntrypointError.js";
import { ExitCode } from "./exitCodes.js";

const TYPESCRIPT = new Set([".ts", ".mts", ".cts", ".tsx"]);
const INSTALL_TSX = "install tsx next to it (npm i -D tsx, pnpm add -D tsx or yarn add -D tsx)";

/** How this process runs TypeScript: tsx's hooks, Node's own type stripping, or not at all. */
type TypeScriptLoader = "tsx" | "node" | "none";
let loader: Promise<TypeScriptLoader> | undefined;

/**
 * Loads the user's module and returns its exports, with those of a CommonJS `module.exports`
 * object folded in, so tasks are found however the file was compiled.
 *
 * TypeScript runs through tsx when it is installed (an optional peer dependency: found next to
 * the SDK or next to the module; both of its hooks are registered on first use, and a process
 * already running under tsx is unaffected), else through Node's own type stripping where Node
 * has it (≥ 22.18 and ≥ 23.6 by default: `process.features.typescript`). When neither can run
 * the file — no tsx on an older Node, or syntax type stripping cannot erase (enums, namespaces,
 * parameter properties) — the error says to install tsx.
 *
 * A path that does not exist is refused before anything is imported; a module that cannot be
 * loaded, or throws while loading, is an {@link EntrypointError} with exit code 3 and the
 * module's error as `cause`.
 */
export async function importUserModule(
  modulePath: string,
  cwd: string = process.cwd(),
): Promise<Record<string, unknown>> {
  const abs = resolve(cwd, modulePath);
  if (!existsSync(abs) || !statSync(abs).isFile()) {
    throw loadError(`module not found: ${modulePath} (looked at ${abs})`);
  }
  const ext = extname(abs);
  const how = TYPESCRIPT.has(ext) ? await typeScriptLoader(abs) : undefined;
  if (how === "none") {
    throw loadError(
      `cannot run ${modulePath}: TypeScript needs tsx on Node ${process.version} ` +
        `(Node's own type stripping comes with Node 22.18 and later): ${INSTALL_TSX}, ` +
        `or run the compiled .js file`,
    );
  }
  if (how === "node" && ext === ".tsx") {
    throw loadError(
      `cannot run ${modulePath}: Node's type stripping does not read .tsx; ${INSTALL_TSX}`,
    );
  }
  let ns: Record<string, unknown>;
  try {
    ns = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (err) {
    throw loadError(
      `could not load ${modulePath}: ${describe(err)}${how === "node" ? strippingHint(err) : ""}`,
      err,
    );
  }
  const exports: Record<string, unknown> = {};
  const def = ns["default"];
  if (def !== null && typeof def === "object") Object.assign(exports, def);
  Object.assign(exports, ns);
  return exports;
}

/** Decided once per process, on the first TypeScript module. */
function typeScriptLoader(modulePath: string): Promise<TypeScriptLoader> {
  loader ??= registerTsx(modulePath).then((registered) => {
    if (registered) return "tsx";
    // `process.features.typescript` is "strip" or "transform" where Node runs .ts files itself.
    const features = process.features as { typescript?: string | false };
    return features.typescript ? "node" : "none";
  });
  return loader;
}

/**
 * Registers tsx's ESM and CommonJS hooks (a `.ts` file outside a `"type": "module"` package is
 * loaded as CommonJS) if tsx can be found; false if it cannot. A tsx that is found but fails to
 * load is an error, not a silent fallback.
 */
async function registerTsx(modulePath: string): Promise<boolean> {
  type Api = { register: () => unknown };
  const fromSdk = async (): Promise<[Api, Api]> =>
    (await Promise.all([import("tsx/esm/api"), import("tsx/cjs/api")])) as [Api, Api];
  // The SDK installed apart from the project (a global `flyte`): the project's own tsx.
  const fromModule = async (): Promise<[Api, Api]> => {
    const req = createRequire(modulePath);
    const load = (spec: string): Promise<Api> =>
      import(pathToFileURL(req.resolve(spec)).href) as Promise<Api>;
    return Promise.all([load("tsx/esm/api"), load("tsx/cjs/api")]);
  };
  for (const attempt of [fromSdk, fromModule]) {
    let apis: [Api, Api];
    try {
      apis = await attempt();
    } catch (err) {
      if (isTsxMissing(err)) continue;
      throw loadError(`tsx is installed but could not be loaded: ${describe(err)}`, err);
    }
    for (const api of apis) api.register();
    return true;
  }
  return false;
}

function isTsxMissing(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
    /\btsx\b/.test(describe(err))
  );
}

/** What to do when Node's type stripping could not run the file. */
function strippingHint(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const message = describe(err);
  if (code === "ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX") {
    return ` (Node's type stripping only erases types; enums, namespaces and parameter properties need tsx: ${INSTALL_TSX})`;
  }
  if (code === "ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING") {
    return ` (Node does not strip types from files under node_modules: ${INSTALL_TSX})`;
  }
  if (/Cannot use import statement outside a module|Unexpected token 'export'/.test(message)) {
    return ` (Node ran it as CommonJS, as the package.json nearest to it says: name the file .mts, set "type": "module", or ${INSTALL_TSX})`;
  }
  if (code === "ERR_MODULE_NOT_FOUND" && /\.js'? imported from/.test(message)) {
    return ` (Node's type stripping imports files by their real name, ./x.ts rather than ./x.js; or ${INSTALL_TSX})`;
  }
  // Anything else a SyntaxError says may be TypeScript that stripping cannot erase; an error the
  // module itself threw while loading is the module's, and gets no hint.
  if (err instanceof SyntaxError) {
    return ` (loaded with Node's type stripping, which runs only erasable TypeScript; tsx runs all of it: ${INSTALL_TSX})`;
  }
  return "";
}

function loadError(message: string, cause?: unknown): EntrypointError {
  return new EntrypointError(message, {
    exitCode: ExitCode.LOAD_FAILED,
    source: "<module>",
    ...(cause === undefined ? {} : { cause }),
  });
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
