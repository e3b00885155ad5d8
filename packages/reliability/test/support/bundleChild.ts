/**
 * Bundles a child script (and the packages it imports, from their TypeScript sources) into one
 * `.mjs` with esbuild, so each child starts as plain `node file.mjs` in ~0.1 s instead of the
 * ~1-2 s of `node --import tsx`: the crash loop starts hundreds of them. Cloud SDKs stay
 * external and resolve from this package's node_modules, next to which the bundle is written.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";

/** packages/reliability */
export const PACKAGE_DIR = resolve(__dirname, "..", "..");

/** Bundles `entry` (a path relative to packages/reliability) and returns the bundle's path. */
export async function bundleChild(entry: string): Promise<string> {
  const outDir = join(PACKAGE_DIR, "node_modules", ".cache", "flyte-reliability");
  mkdirSync(outDir, { recursive: true });
  const name = entry.replace(/[^A-Za-z0-9]+/g, "-");
  const outfile = join(outDir, `${name}-${process.pid}-${Date.now()}.mjs`);
  await build({
    entryPoints: [join(PACKAGE_DIR, entry)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@flyte/source"],
    external: ["@aws-sdk/*", "@azure/*"],
    // Bundled CommonJS dependencies still call require().
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: "silent",
  });
  return outfile;
}
