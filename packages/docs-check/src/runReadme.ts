/**
 * Runs one README in one fresh project: its blocks in order, as the convention in this
 * package's README says. The first failure throws a {@link ReadmeFailure} naming the README,
 * the block's line, the command and what it printed.
 */
import { readFileSync } from "node:fs";
import { FreshProject, installWarnings, isInstall, type CommandResult } from "./freshProject.js";
import {
  commandLines,
  nodeSatisfies,
  readmeBlocks,
  type ModuleKind,
  type ReadmeBlock,
} from "./readmeBlocks.js";

/** A README block that did not do what the README says. */
export class ReadmeFailure extends Error {
  override readonly name = "ReadmeFailure";
}

/** Where and how to run a README. */
export interface ReadmeRunOptions {
  /** Absolute path of the README. */
  readonly path: string;
  /** Its path as reported (relative to the repository). */
  readonly label: string;
  readonly kind: ModuleKind;
  /** Folder the project is made in. */
  readonly base: string;
  /** The `.npmrc` of the project (the local registry's scope line). */
  readonly npmrc: string;
  readonly extraPath?: readonly string[];
}

/** What a run did besides succeeding: blocks it skipped, and why. */
export interface ReadmeRunReport {
  readonly ran: number;
  readonly skipped: string[];
}

/** Runs the README's blocks for `options.kind` in a new project; throws on the first failure. */
export async function runReadme(options: ReadmeRunOptions): Promise<ReadmeRunReport> {
  const blocks = readmeBlocks(readFileSync(options.path, "utf8"));
  const name = `${options.label.replace(/[^\w]+/g, "-")}-${options.kind}`;
  const project = await FreshProject.create(
    options.base,
    name,
    options.kind,
    options.npmrc,
    options.extraPath,
  );
  const skipped: string[] = [];
  let ran = 0;
  let last: CommandResult | undefined;
  let lastBlock: ReadmeBlock | undefined;
  // An output block belongs to the command block just before it: when that one did not run
  // here, neither is its output compared.
  let previousCommandsRan = false;
  for (const block of blocks) {
    const where = `${options.label}:${block.line}`;
    const runs = shouldRun(block, options.kind, where, skipped);
    if (block.kind === "commands") previousCommandsRan = runs;
    if (!runs || (block.kind === "output" && !previousCommandsRan)) continue;
    if (block.kind === "code") {
      const file = block.attrs["file"];
      if (file !== undefined) project.write(file, block.content);
    } else if (block.kind === "commands") {
      const lines = commandLines(block.content);
      // `alternatives`: one line per package manager; the first builds the project, the others
      // are run in projects of their own (see alternativesOf).
      for (const command of block.attrs["alternatives"] !== undefined ? lines.slice(0, 1) : lines) {
        refuseGlobal(command, block, where, options.kind);
        last = await project.run(command);
        lastBlock = block;
        ran++;
        checkCommand(last, block, where, options.kind);
      }
    } else if (block.kind === "output") {
      if (last === undefined || lastBlock === undefined) continue;
      const want = block.content.trim();
      const got = last.stdout.trim();
      if (got !== want) {
        throw new ReadmeFailure(
          `${where} (output of ${options.label}:${lastBlock.line}, ${describeProject(options.kind)}): ` +
            `\`${last.command}\` printed something else\n${section("expected (the README)", want)}${section("stdout", got)}${section("stderr", last.stderr)}`,
        );
      }
    }
  }
  return { ran, skipped };
}

/** Whether a block runs in a project of `kind` on this Node; a version skip is noted in `skipped`. */
function shouldRun(
  block: ReadmeBlock,
  kind: ModuleKind,
  where: string,
  skipped: string[],
): boolean {
  if (block.attrs["skip"] !== undefined) return false; // an illustration; the README says why
  if (!block.kinds.includes(kind)) return false;
  const node = block.attrs["node"];
  if (node !== undefined && !nodeSatisfies(node)) {
    if (block.kind !== "output")
      skipped.push(`${where}: needs Node ${node}, this is ${process.version}`);
    return false;
  }
  return true;
}

/** The command lines of `alternatives` blocks after the first one: each is tried on its own. */
export function alternativesOf(path: string): { line: number; command: string }[] {
  const out: { line: number; command: string }[] = [];
  for (const block of readmeBlocks(readFileSync(path, "utf8"))) {
    if (
      block.kind !== "commands" ||
      block.attrs["alternatives"] === undefined ||
      block.attrs["skip"] !== undefined
    )
      continue;
    for (const command of commandLines(block.content).slice(1))
      out.push({ line: block.line, command });
  }
  return out;
}

/**
 * A README test never changes the machine it runs on: an install with `-g`/`--global` is
 * refused before it runs (mark such a block `skip="..."`).
 */
export function refuseGlobal(
  command: string,
  block: ReadmeBlock,
  where: string,
  kind: ModuleKind,
): void {
  if (/\s(-g|--global)(\s|$)/.test(` ${command} `) || /^\s*(pnpm|yarn)\s+global\b/.test(command)) {
    throw new ReadmeFailure(
      `${where} (${block.lang} block, ${describeProject(kind)}): \`${command}\` installs globally; ` +
        `it was not run. Mark the block skip="<why>" if it is not meant for a fresh project`,
    );
  }
}

/** Throws when a command failed, or an install warned. */
export function checkCommand(
  r: CommandResult,
  block: ReadmeBlock,
  where: string,
  kind: ModuleKind,
): void {
  const head = `${where} (${block.lang} block, ${describeProject(kind)}): \`${r.command}\``;
  if (r.code !== 0) {
    throw new ReadmeFailure(
      `${head} exited ${r.code ?? r.signal} after ${(r.ms / 1000).toFixed(1)} s\n${section("stdout", r.stdout)}${section("stderr", r.stderr)}`,
    );
  }
  if (isInstall(r.command)) {
    const warnings = installWarnings(r);
    if (warnings.length) {
      throw new ReadmeFailure(
        `${head} printed warnings:\n${section("warnings", warnings.join("\n"))}${section("stderr", r.stderr)}`,
      );
    }
  }
}

function describeProject(kind: ModuleKind): string {
  return `fresh ${kind === "esm" ? 'ESM ("type": "module")' : "CommonJS (npm init -y)"} project, Node ${process.version}`;
}

function section(title: string, text: string): string {
  const body = text.trim() === "" ? "(empty)" : text.trimEnd().split("\n").slice(-60).join("\n");
  return `--- ${title} ---\n${body}\n`;
}
