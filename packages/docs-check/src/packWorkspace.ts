/**
 * Packs the public workspace packages the way they are published (`pnpm pack`, which rewrites
 * `workspace:` ranges and applies `publishConfig`), so that tests install what a user installs.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

/** The repository root. */
export const REPO_DIR = resolve(import.meta.dirname, "..", "..", "..");

/** One packed package. */
export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  /** The package folder in the repository. */
  readonly dir: string;
  readonly tarball: string;
  /** The package.json inside the tarball (after `publishConfig`). */
  readonly manifest: Record<string, unknown>;
  /** Hex sha1 and the `sha512-<base64>` integrity npm clients check. */
  readonly shasum: string;
  readonly integrity: string;
}

/** The folders of the public (not `private`) packages under packages/, sorted. */
export function publicPackageDirs(): string[] {
  const root = join(REPO_DIR, "packages");
  return readdirSync(root)
    .sort()
    .map((d) => join(root, d))
    .filter((d) => existsSync(join(d, "package.json")))
    .filter(
      (d) =>
        !(JSON.parse(readFileSync(join(d, "package.json"), "utf8")) as { private?: boolean })
          .private,
    );
}

/**
 * Packs every public package into `dest`. A package without `dist/` is an error that says to
 * build first (the test task depends on the build in turbo.json).
 */
export async function packWorkspace(dest: string): Promise<PackedPackage[]> {
  const out: PackedPackage[] = [];
  for (const dir of publicPackageDirs()) {
    if (!existsSync(join(dir, "dist"))) {
      throw new Error(
        `${dir} has no dist/: run \`pnpm build\` first (turbo does it before this test)`,
      );
    }
    const r = await run("pnpm", ["pack", "--pack-destination", dest, "--json"], dir);
    if (r.code !== 0) throw new Error(`pnpm pack failed in ${dir}:\n${r.stderr}${r.stdout}`);
    const tarball = (JSON.parse(r.stdout) as { filename: string }).filename;
    const bytes = readFileSync(tarball);
    const manifest = JSON.parse(
      (await run("tar", ["-xzOf", tarball, "package/package.json"], dir)).stdout,
    ) as Record<string, unknown>;
    out.push({
      name: String(manifest["name"]),
      version: String(manifest["version"]),
      dir,
      tarball,
      manifest,
      shasum: createHash("sha1").update(bytes).digest("hex"),
      integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
    });
  }
  return out;
}

function run(
  cmd: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}
