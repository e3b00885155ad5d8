/**
 * A user's first minute, from the packed tarballs: `npm install @flyte/sdk`, `pnpm add` and
 * `yarn add` in fresh projects (the `@flyte` scope served by the local registry, everything
 * else from the npm registry), what each put on disk, and what loading the SDK costs:
 * `import("@flyte/sdk")`, `require("@flyte/sdk")` and `flyte --help`, each against `node -e 0`
 * in the same run (interleaved, median of many runs; the difference is what we add), on this node
 * and on every supported Node version installed in the cache.
 *
 * `pnpm bench install` (or `pnpm bench:install`). BENCH_LOAD_RUNS sets the runs per case.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { build } from "esbuild";
import { join } from "node:path";
import { loadedFiles, nodeWithRegisterHooks } from "../../../tooling/scripts/loaded-files.mjs";
import { NODE_VERSIONS, nodeBinDir } from "../../../tooling/scripts/node-versions.mjs";
import { FreshProject } from "../src/freshProject.js";
import { startHarness } from "../src/harness.js";
import { installedPackages } from "../src/installFootprint.js";

const TARGET_PACKAGES = 8;
const TARGET_MB = 5;
const RUNS = Number(process.env["BENCH_LOAD_RUNS"] ?? 40);

const { harness, stop } = await startHarness();
try {
  const rows: string[] = [];
  let npmProject: FreshProject | undefined;
  for (const [pm, command] of [
    ["npm", "npm install @flyte/sdk"],
    ["pnpm", "pnpm add @flyte/sdk"],
    ["yarn", "yarn add @flyte/sdk"],
  ] as const) {
    const project = await FreshProject.create(
      harness.base,
      `install-${pm}`,
      "cjs",
      harness.npmrc,
      harness.extraPath,
    );
    const r = await project.run(command);
    if (r.code !== 0) throw new Error(`${command} failed:\n${r.stderr}`);
    const pkgs = installedPackages(project.dir);
    const mb = pkgs.reduce((n, p) => n + p.bytes, 0) / 1e6;
    const biggest = pkgs
      .slice(0, 4)
      .map((p) => `${p.id} ${(p.bytes / 1e6).toFixed(1)}`)
      .join(", ");
    rows.push(
      `| \`${command}\` | ${pkgs.length} ${mark(pkgs.length <= TARGET_PACKAGES)} | ${mb.toFixed(1)} MB ${mark(mb <= TARGET_MB)} | ${(r.ms / 1000).toFixed(1)} s | ${biggest} |`,
    );
    if (pm === "npm") npmProject = project;
  }
  console.log("### Installing @flyte/sdk (no cloud SDKs), from the packed tarballs\n");
  console.log(
    `Targets: ≤ ${TARGET_PACKAGES} packages (the six @flyte ones included), ≤ ${TARGET_MB} MB.\n`,
  );
  console.log(
    "| command | packages | on disk | wall time | largest (MB) |\n| --- | --- | --- | --- | --- |",
  );
  console.log(rows.join("\n"));

  const dir = npmProject!.dir;
  const flyte = join(dir, "node_modules", "@flyte", "sdk", "dist", "cli", "flyte.js");
  // An empty package, imported and required: the loader's own cost on each Node version (an
  // ESM import of anything costs ~11 ms more on Node 20 and 22 than on 24 and 26).
  const empty = join(dir, "node_modules", "flyte-bench-empty");
  mkdirSync(empty, { recursive: true });
  writeFileSync(
    join(empty, "package.json"),
    JSON.stringify({
      name: "flyte-bench-empty",
      exports: { import: "./e.mjs", require: "./e.cjs" },
    }),
  );
  writeFileSync(join(empty, "e.mjs"), "export const e = 1;\n");
  writeFileSync(join(empty, "e.cjs"), "exports.e = 1;\n");
  // The floor for the import's size: the code `import("@flyte/sdk")` reads, as one file (the
  // installed packages bundled, what they load on first use left out). Not a layout we can ship
  // (the packages install apart and share classes and state), but it loads what ours does minus
  // the cost of files and packages: the import's figure over this one is what the layout adds.
  const oneFile = join(dir, "flyte-sdk-one-file.mjs");
  await build({
    stdin: { contents: 'export * from "@flyte/sdk";', resolveDir: dir, loader: "js" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: oneFile,
    external: ["@bufbuild/*", "@msgpack/*", "memfs", "@aws-sdk/*", "@azure/*", "tsx"],
    plugins: [
      {
        name: "first-use-stays-out",
        setup(b) {
          b.onResolve({ filter: /^\.\.?\// }, (args) =>
            args.kind === "dynamic-import" ? { path: args.path, external: true } : undefined,
          );
        },
      },
    ],
    logLevel: "error",
  });
  const cases = [
    { name: "`node -e 0` (baseline)", args: ["-e", "0"] },
    {
      name: '`import("flyte-bench-empty")` (an empty package)',
      args: ["--input-type=module", "-e", 'await import("flyte-bench-empty")'],
    },
    { name: '`require("flyte-bench-empty")`', args: ["-e", 'require("flyte-bench-empty")'] },
    {
      name: '`import("@flyte/sdk")`',
      args: ["--input-type=module", "-e", 'await import("@flyte/sdk")'],
      target: 30,
    },
    { name: '`require("@flyte/sdk")`', args: ["-e", 'require("@flyte/sdk")'], target: 30 },
    {
      name: `the same code as one file (${(statSync(oneFile).size / 1000).toFixed(0)} KB, the floor)`,
      args: ["--input-type=module", "-e", `await import(${JSON.stringify(oneFile)})`],
    },
    { name: "`flyte --help`", args: [flyte, "--help"], target: 80 },
  ];
  // This node, then every supported version installed in the cache (tooling/scripts/node-versions.mjs):
  // the loader's own costs differ by version (an ESM import costs ~11 ms more on Node 20 and 22).
  const nodes = [process.execPath, ...installedNodes()];
  for (const node of nodes) {
    const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
    const times: number[][] = cases.map(() => []);
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so every case sees the same machine state.
      cases.forEach((c, k) => {
        const started = process.hrtime.bigint();
        const r = spawnSync(node, c.args, { cwd: dir, stdio: "ignore" });
        if (r.status !== 0) throw new Error(`${c.name} exited ${r.status} on Node ${version}`);
        times[k]!.push(Number(process.hrtime.bigint() - started) / 1e6);
      });
    }
    const med = times.map(median);
    const base = med[0]!;
    console.log(`\n### Loading it (Node ${version}, median of ${RUNS} runs each, interleaved)\n`);
    console.log(
      "| case | median | over `node -e 0` | ratio | target |\n| --- | --- | --- | --- | --- |",
    );
    cases.forEach((c, k) => {
      const over = med[k]! - base;
      const target = c.target === undefined ? "—" : `≤ +${c.target} ms ${mark(over <= c.target)}`;
      console.log(
        `| ${c.name} | ${med[k]!.toFixed(1)} ms | +${over.toFixed(1)} ms | ${(med[k]! / base).toFixed(2)}× | ${target} |`,
      );
    });
    const imported = med[cases.findIndex((c) => c.name.startsWith('`import("@flyte/sdk'))]!;
    const floor = med[cases.findIndex((c) => c.name.startsWith("the same code as one file"))]!;
    console.log(
      `\nWhat the layout (six packages, their files) adds to the import: +${(imported - floor).toFixed(1)} ms over the same code as one file (${((imported - base) / (floor - base)).toFixed(2)}× its cost over \`node -e 0\`).`,
    );
  }
  // What the import reads, which no VM state moves: the files of ours it loads and their size,
  // per package (a module hook, on the newest Node here that has `module.registerHooks`).
  const hooked = nodeWithRegisterHooks(nodes.reverse());
  if (hooked !== undefined) {
    const files = loadedFiles(hooked, dir, 'await import("@flyte/sdk");');
    const byPackage = new Map<string, [number, number]>();
    for (const [file, bytes] of files) {
      const pkg = /node_modules[\\/](@[^\\/]+[\\/][^\\/]+|[^\\/]+)/.exec(file)?.[1] ?? file;
      const [n, b] = byPackage.get(pkg) ?? [0, 0];
      byPackage.set(pkg, [n + 1, b + bytes]);
    }
    const total = files.reduce((n, [, b]) => n + b, 0);
    console.log(
      `\n### What \`import("@flyte/sdk")\` reads\n\n${files.length} files, ${(total / 1000).toFixed(0)} KB: ` +
        [...byPackage].map(([p, [n, b]]) => `${p} ${n} (${(b / 1000).toFixed(0)} KB)`).join(", "),
    );
  }
} finally {
  await stop();
}

/** The supported Node versions whose binaries are in the cache (`node-versions.mjs install`). */
function installedNodes(): string[] {
  return NODE_VERSIONS.map((v) => join(nodeBinDir(v), "node")).filter((n) => existsSync(n));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function mark(ok: boolean): string {
  return ok ? "(met)" : "(**missed**)";
}
