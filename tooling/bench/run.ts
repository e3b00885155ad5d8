/**
 * `pnpm bench [filter]`: runs every `packages/<pkg>/bench/*.bench.ts` in a process of its own
 * (so one bench's heap and JIT state never colour another's) and prints their markdown tables.
 * With `--write`, the output replaces the generated section of BENCHMARKS.md.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import os from "node:os";

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

const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, with \`pnpm bench${filters.length ? " " + filters.join(" ") : ""}\`.`;
/** One block per bench file, keyed by its marker line, so a filtered `--write` replaces only its own. */
const blocks = new Map<string, string>();
let failed = false;
for (const file of files) {
  const rel = relative(root, file);
  process.stderr.write(`bench: ${rel}\n`);
  const r = spawnSync(
    process.execPath,
    ["--expose-gc", "--import", "tsx", "--conditions=@flyte/source", file],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], env: process.env },
  );
  const marker = `<!-- ${rel} -->`;
  if (r.status !== 0) {
    failed = true;
    blocks.set(marker, `${marker}\n### ${rel}\n\nFAILED with exit code ${r.status}\n`);
  } else {
    blocks.set(marker, `${marker}\n${stamp}\n\n${r.stdout.trim()}\n`);
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
    const m = /^<!-- packages\/[^>]* -->/.exec(part);
    if (m) kept.set(m[0], part.trim() + "\n");
  }
  for (const [marker, block] of blocks) kept.set(marker, block);
  const ordered = [...kept.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, b]) => b);
  writeFileSync(
    target,
    current.slice(0, i + begin.length) + "\n\n" + ordered.join("\n") + "\n" + current.slice(j),
  );
}
process.exit(failed ? 1 : 0);
