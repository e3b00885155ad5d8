/**
 * `pnpm bench [filter]`: runs every `packages/<pkg>/bench/*.bench.ts` in a process of its own
 * (so one bench's heap and JIT state never colour another's) and prints their markdown tables.
 * With `--write`, the output replaces the generated section of BENCHMARKS.md.
 *
 * `FLYTE_BENCH_NODE` picks the Node the benches run on: a path to a `node` binary, a major of
 * tooling/scripts/node-versions.mjs (`24`: the pinned 24.x, installed into its cache on first
 * use), `system` (the node running this script, the default), or a comma list of these
 * (`system,22,24,26`), run one after another. Each (bench file, Node major) pair has a block of
 * its own in BENCHMARKS.md, so `--write` on one version keeps the others' figures.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import os from "node:os";
// @ts-expect-error a plain .mjs script of tooling/scripts, without declarations
import { installNode, pinnedVersion } from "../scripts/node-versions.mjs";

const root = join(import.meta.dirname, "..", "..");
const args = process.argv.slice(2);
const write = args.includes("--write");
const filters = args.filter((a) => !a.startsWith("--"));

const files: string[] = [];
for (const pkg of readdirSync(join(root, "packages")).sort()) {
  const dir = join(root, "packages", pkg, "bench");
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith(".bench.ts")) continue;
    const path = join(dir, f);
    if (filters.length && !filters.some((x) => relative(root, path).includes(x))) continue;
    files.push(path);
  }
}

/** The node binaries to run on, from FLYTE_BENCH_NODE. */
function benchNodes(): string[] {
  const spec = process.env["FLYTE_BENCH_NODE"]?.trim() || "system";
  return spec.split(",").map((s) => {
    const v = s.trim();
    if (v === "system") return process.execPath;
    if (v.includes("/")) return v;
    return join(installNode(pinnedVersion(v)) as string, "node");
  });
}

/** The marker of a bench file's block for one Node major: `<!-- packages/x/bench/y.bench.ts node24 -->`. */
function markerOf(rel: string, nodeVersion: string): string {
  return `<!-- ${rel} node${nodeVersion.replace(/^v/, "").split(".")[0]} -->`;
}

/** One block per bench file and Node major, keyed by its marker line, so a filtered `--write` replaces only its own. */
const blocks = new Map<string, string>();
let failed = false;
for (const node of benchNodes()) {
  const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
  if (!/^v\d+/.test(version)) throw new Error(`FLYTE_BENCH_NODE: ${node} is not a node binary`);
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${version}, with \`pnpm bench${filters.length ? " " + filters.join(" ") : ""}\`.`;
  for (const file of files) {
    const rel = relative(root, file);
    process.stderr.write(`bench: ${rel} on Node ${version}\n`);
    const r = spawnSync(
      node,
      ["--expose-gc", "--import", "tsx", "--conditions=@flyte/source", file],
      {
        cwd: root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        env: process.env,
      },
    );
    const marker = markerOf(rel, version);
    if (r.status !== 0) {
      failed = true;
      blocks.set(
        marker,
        `${marker}\n### ${rel} (Node ${version})\n\nFAILED with exit code ${r.status}\n`,
      );
    } else {
      blocks.set(marker, `${marker}\n${stamp}\n\n${r.stdout.trim()}\n`);
    }
  }
}
console.log([...blocks.values()].join("\n"));

if (write) {
  const target = join(root, "BENCHMARKS.md");
  const begin = "<!-- bench:begin -->";
  const end = "<!-- bench:end -->";
  const current = existsSync(target)
    ? readFileSync(target, "utf8")
    : `# Benchmarks\n\n${begin}\n${end}\n`;
  const i = current.indexOf(begin);
  const j = current.indexOf(end);
  if (i < 0 || j < 0) throw new Error("BENCHMARKS.md lacks the bench:begin/bench:end markers");
  // Keep the blocks of bench files that did not run this time (a filtered run).
  const kept = new Map<string, string>();
  const section = current.slice(i + begin.length, j);
  for (const part of section.split(/(?=^<!-- packages\/)/m)) {
    const m = /^<!-- (packages\/\S+)(?: node\d+)? -->/.exec(part);
    if (!m) continue;
    // A block written before blocks were kept per Node version has its version in its stamp.
    const version = /\bNode (v\d+)/.exec(part)?.[1] ?? "v0";
    const marker = markerOf(m[1]!, version);
    kept.set(marker, part.trim().replace(/^<!-- [^>]* -->/, marker) + "\n");
  }
  for (const [marker, block] of blocks) kept.set(marker, block);
  const ordered = [...kept.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, b]) => b);
  writeFileSync(
    target,
    current.slice(0, i + begin.length) + "\n\n" + ordered.join("\n") + "\n" + current.slice(j),
  );
}
process.exit(failed ? 1 : 0);
