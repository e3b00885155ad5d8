/**
 * The exit codes and the entrypoint's flags are documented once, in the code (`--help` prints
 * them from there): the README's tables must say the same, cell for cell.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { ENTRYPOINT_FLAGS } from "../src/entrypoint/entrypointFlags.js";
import { EXIT_CODE_TABLE } from "../src/entrypoint/exitCodes.js";

const README = readFileSync(join(__dirname, "..", "README.md"), "utf8");

/** The rows of the first markdown table whose header starts with `header`, as trimmed cells. */
function table(header: string): string[][] {
  const lines = README.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`| ${header}`));
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith("|"); i++) {
    rows.push(
      lines[i]!.split("|")
        .slice(1, -1)
        .map((c) =>
          c
            .trim()
            .replace(/\\([_*<>|])/g, "$1")
            .replace(/`/g, ""),
        ),
    );
  }
  return rows;
}

describe("the sdk README", () => {
  it("lists the exit codes as the code defines them", () => {
    expect(table("code")).toEqual(
      EXIT_CODE_TABLE.map((r) => [String(r.code), r.flyte, r.flyteTask]),
    );
  });

  it("lists flyte-task's flags as the parser defines them", () => {
    expect(table("flag")).toEqual(
      ENTRYPOINT_FLAGS.map((f) => [
        `--${f.flag}${f.short === undefined ? "" : ` / -${f.short}`}`,
        f.env ?? "–",
        f.required ? "yes" : "no",
        f.meaning,
      ]),
    );
  });
});
