/**
 * `pnpm demo`: runs the seed's two examples on the default storage (the local disk under .flyte/
 * in the working directory) and tells the story of what happened, from the run's own events.
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { currentConfig, withRunContext } from "@flyte/sdk";
import type { RunEvent } from "@flyte/sdk";
import { useCheckpoint } from "./checkpointLoop.js";
import { main as sumMain } from "./customContextSum.js";

const color = process.stdout.isTTY === true && process.env["NO_COLOR"] === undefined;
const paint = (code: string) => (s: string | number) =>
  color ? `\x1b[${code}m${s}\x1b[0m` : String(s);
const bold = paint("1");
const dim = paint("2");
const green = paint("32");
const yellow = paint("33");
const red = paint("31");
const cyan = paint("36");
const say = (line = ""): void => void process.stdout.write(`${line}\n`);

/** Prints each event as it happens and keeps them for the summary. */
function narrator(events: RunEvent[]): (e: RunEvent) => void {
  const saves = new Map<string, number>();
  return (e) => {
    events.push(e);
    const who =
      "action" in e
        ? `${bold(e.action.length > 12 ? `${e.action.slice(0, 10)}…` : e.action)} ${e.task}`
        : "";
    const att = "attempt" in e ? dim(`attempt ${e.attempt}`) : "";
    switch (e.type) {
      case "attempt-start":
        saves.set(`${e.action}#${e.attempt}`, 0);
        say(
          `     ${who} ${att} started${e.prevCheckpointPath ? dim(" (an earlier attempt left a checkpoint)") : ""}`,
        );
        break;
      case "checkpoint-load":
        say(
          e.found
            ? `     ${who} ${att} ${yellow("↺ loaded the checkpoint")} ${dim(shortPath(e.source))}`
            : `     ${who} ${att} no checkpoint yet, starting at 0`,
        );
        break;
      case "checkpoint-save":
        saves.set(`${e.action}#${e.attempt}`, (saves.get(`${e.action}#${e.attempt}`) ?? 0) + 1);
        break;
      case "attempt-failure":
        say(
          `     ${who} ${att} ${red("✘")} ${(e.error as Error).message} ` +
            dim(`after ${saves.get(`${e.action}#${e.attempt}`) ?? 0} saves`) +
            (e.willRetry ? yellow(` → retry${e.delayMs > 0 ? ` in ${e.delayMs} ms` : ""}`) : ""),
        );
        break;
      case "attempt-success": {
        const n = saves.get(`${e.action}#${e.attempt}`) ?? 0;
        say(`     ${who} ${att} ${green("✔")}${n > 0 ? dim(` after ${n} saves`) : ""}`);
        break;
      }
      default:
        break;
    }
  };
}

function shortPath(p: string): string {
  const base = currentConfig().rawDataPath;
  return p.startsWith(base) ? `…${p.slice(base.length)}` : p;
}

say(bold("Flyte 2 SDK for TypeScript — demo"));
say(
  dim(
    `Storage: the local disk under ${currentConfig().rawDataPath} (the default; flyte.init({ rawDataPath }) swaps it)`,
  ),
);
say();

// 1. The checkpoint loop
const nIterations = 10;
const failAt = 6;
say(
  `${cyan("1.")} ${bold("A loop that checkpoints, crashes, and resumes")}  ${dim("examples/checkpointLoop.ts")}`,
);
say(`   useCheckpoint(${nIterations}) with retries: 3 saves index+1 after every iteration;`);
say(`   the first attempt fails at iteration ${failAt} on purpose.`);
say();
const loopEvents: RunEvent[] = [];
const loopRun = `demo-loop-${Date.now().toString(36)}`;
const done = await withRunContext({ name: loopRun, onEvent: narrator(loopEvents) }).run(
  useCheckpoint,
  nIterations,
  failAt,
);
const savesBy = (attempt: number) =>
  loopEvents.filter(
    (e) => e.type === "checkpoint-save" && e.action === "a0" && e.attempt === attempt,
  ).length;
const attempts = loopEvents.filter((e) => e.type === "attempt-start" && e.action === "a0").length;
say();
say(`   ${green("Result:")} ${bold(done)} iterations in ${attempts} attempts.`);
say(
  `   Attempt 0 did iterations 0–${savesBy(0) - 1}; attempt 1 loaded index ${savesBy(0)} and did the other ${savesBy(1)}: ` +
    (savesBy(0) + savesBy(1) === nIterations
      ? green("nothing was done twice.")
      : red("some work was repeated!")),
);
const lastStart = loopEvents.filter((e) => e.type === "attempt-start").at(-1);
if (lastStart?.type === "attempt-start") {
  say(dim(`   Look inside: pnpm -C examples flyte checkpoint inspect ${lastStart.checkpointPath}`));
}
say();

// 2. The custom context sum
const x = 1;
say(
  `${cyan("2.")} ${bold("Custom context flowing into child tasks")}  ${dim("examples/customContextSum.ts")}`,
);
say(
  `   main(${x}) calls downstreamTask(${x}) three times, each inside customContext({ increment: i }).`,
);
say();
const sumEvents: RunEvent[] = [];
const total = await withRunContext({
  name: `demo-sum-${Date.now().toString(36)}`,
  onEvent: narrator(sumEvents),
}).run(sumMain, x);
const children = sumEvents.filter(
  (e) => e.type === "attempt-success" && e.task === "downstreamTask",
).length;
say();
say(
  `   ${green("Result:")} ${bold(total)} = (${x}+0) + (${x}+1) + (${x}+2), from ${children} child actions that each saw their own increment.`,
);
say();

// 3. A run killed mid-way and resumed
say(
  `${cyan("3.")} ${bold("A run killed mid-way, resumed, skipping finished work")}  ${dim("examples/durablePipeline.ts")}`,
);
say(
  "   pipeline(5) runs five steps as child actions; the whole runner is SIGKILLed half-way through step 2,",
);
say(
  "   then the run is resumed by name: finished steps are reused, step 2 resumes from its checkpoint.",
);
say();
const pipelineRun = `demo-resume-${Date.now().toString(36)}`;
const here = dirname(fileURLToPath(import.meta.url));
const flyteBin = join(here, "..", "packages", "sdk", "src", "cli", "flyte.ts");
const runFlyte = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=@flyte/source", flyteBin, "run", ...args],
    {
      cwd: here,
      env: { ...process.env, ...env, FLYTE_HOME: currentConfig().home },
      encoding: "utf8",
    },
  );
const show = (text: string) => {
  for (const line of text.trimEnd().split("\n"))
    if (line.trim() !== "") say(`   ${dim("│")} ${line}`);
};
say(
  `   ${dim("$")} flyte run --run-name ${pipelineRun} durablePipeline.ts pipeline --n 5   ${dim("# killed in step 2")}`,
);
const killed = runFlyte(["--run-name", pipelineRun, "durablePipeline.ts", "pipeline", "--n", "5"], {
  FLYTE_DEMO_KILL_IN: "2",
  NO_COLOR: "1",
});
show(killed.stderr);
say(`   ${red("✘")} the runner died: ${killed.signal ?? `exit ${String(killed.status)}`}`);
say();
say(`   ${dim("$")} flyte run --resume ${pipelineRun} durablePipeline.ts pipeline --n 5`);
const resumed = runFlyte(
  ["--json", "--resume", pipelineRun, "durablePipeline.ts", "pipeline", "--n", "5"],
  { NO_COLOR: "1" },
);
show(resumed.stderr);
const outcome = JSON.parse(resumed.stdout.trim().split("\n").at(-1) ?? "{}") as {
  result?: number;
  summary?: { reused?: number };
};
say();
say(
  `   ${green("Result:")} ${bold(String(outcome.result))} = 0+1+4+9+16; ${outcome.summary?.reused ?? 0} finished steps reused, not run again.`,
);
say();
say(bold("Try it yourself:"));
say(
  `  ${dim("$")} pnpm -C examples flyte run checkpointLoop.ts useCheckpoint --n-iterations 10 --fail-at 6`,
);
say(`  ${dim("$")} pnpm -C examples flyte run customContextSum.ts main --x 5 --json`);
say(`  ${dim("$")} pnpm -C examples s3    ${dim("# the same loop with its checkpoints on S3")}`);
say(
  `  ${dim("$")} pnpm -C examples like-flyte    ${dim("# a typed task run as Flyte runs it: inputs.pb in, outputs.pb out")}`,
);
