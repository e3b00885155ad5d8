// Declarations of the @flyteorg/flyteidl2 modules this package uses, for the d.ts bundle.
// The package ships TypeScript sources only; tsup's declaration bundler inlines declarations
// (.d.ts), so they are emitted here first (tsc, declarations only) into
// .idl-types/ (git-ignored), their `.ts` import suffixes made `.js`, and tsup.config.ts maps
// `@flyteorg/flyteidl2/*` there for the d.ts build. Run by `pnpm build` before tsup.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const pkg = join(import.meta.dirname, "..");
const idl = join(pkg, "node_modules", "@flyteorg", "flyteidl2");
const out = join(pkg, ".idl-types");
const tsc = createRequire(join(pkg, "package.json")).resolve("typescript/bin/tsc");

// Every generated module reachable from the ones src/ imports (tsc emits only the files given).
const files = [];
const seen = new Set();
function visit(rel) {
  if (seen.has(rel)) return;
  seen.add(rel);
  files.push(join(idl, rel));
  const text = readFileSync(join(idl, rel), "utf8");
  for (const m of text.matchAll(/from "(\.{1,2}\/[^"]+\.ts)"/g)) visit(join(dirname(rel), m[1]));
}
for (const f of [
  "flyteidl2/core/literals_pb.ts",
  "flyteidl2/core/types_pb.ts",
  "flyteidl2/core/interface_pb.ts",
  "flyteidl2/core/execution_pb.ts",
  "flyteidl2/task/common_pb.ts",
])
  visit(f);

rmSync(out, { recursive: true, force: true });
const r = spawnSync(
  process.execPath,
  [
    tsc,
    "--declaration",
    "--emitDeclarationOnly",
    "--skipLibCheck",
    "--allowImportingTsExtensions",
    "--target",
    "ES2022",
    "--module",
    "NodeNext",
    "--moduleResolution",
    "NodeNext",
    "--rootDir",
    idl,
    "--outDir",
    out,
    ...files,
  ],
  { stdio: "inherit", cwd: pkg },
);
if (r.status !== 0) process.exit(r.status ?? 1);

for (const entry of readdirSync(out, { recursive: true, encoding: "utf8" })) {
  if (!entry.endsWith(".d.ts")) continue;
  const p = join(out, entry);
  writeFileSync(p, readFileSync(p, "utf8").replace(/from "(\.{1,2}\/[^"]+)\.ts"/g, 'from "$1.js"'));
}
console.log(`idl-types: ${files.length} declarations in ${out}`);
