import type { RunEvent, RunEventListener } from "../events.js";
import type { CliIo } from "./CliIo.js";

/** Options of {@link createProgressReporter}. */
export interface ProgressOptions {
  /** ANSI colours (default: when stderr is a terminal and NO_COLOR is unset). */
  readonly color?: boolean;
}

/**
 * Turns a run's events into progress lines on stderr: one line per action attempt as it starts,
 * its checkpoint load (found or not, and from which earlier attempt), its first checkpoint save,
 * and how it ended — with the retry and its delay visible. Children are indented under their
 * parent. Checkpoint saves after the first are counted, not printed, so a loop that saves every
 * iteration stays readable.
 */
export function createProgressReporter(io: CliIo, options: ProgressOptions = {}): RunEventListener {
  const color = options.color ?? (io.isTTY && process.env["NO_COLOR"] === undefined);
  const paint = (code: string, s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const depth = new Map<string, number>();
  const saves = new Map<string, number>();

  const place = (e: { action: string; parent?: string }): void => {
    if (!depth.has(e.action))
      depth.set(e.action, e.parent === undefined ? 0 : (depth.get(e.parent) ?? 0) + 1);
  };
  const who = (e: { action: string; task: string; group?: string }): string => {
    const indent = "  ".repeat((depth.get(e.action) ?? 0) + 1);
    const group = e.group === undefined ? "" : ` ${paint("35", `[${e.group}]`)}`;
    return `${indent}${paint("1", e.action)} ${e.task}${group}`;
  };
  const prefix = (e: {
    action: string;
    task: string;
    group?: string;
    attempt: number;
    maxAttempts: number;
  }): string => {
    const of = e.maxAttempts > 1 ? ` (${e.attempt + 1}/${e.maxAttempts})` : "";
    return `${who(e)} ${paint("2", `attempt ${e.attempt}${of}`)}`;
  };

  return (event: RunEvent): void => {
    switch (event.type) {
      case "run-start":
        io.err(
          `${paint("36", "▶")} ${event.resumed === true ? "resuming run" : "run"} ${paint("1", event.runName)}: ${event.task}  ${paint("2", `(${event.rawDataPath})`)}`,
        );
        break;
      case "run-end":
        io.err(
          event.ok
            ? `${paint("32", "✔")} run ${event.runName} succeeded`
            : event.cancelled === true
              ? `${paint("33", "■")} run ${event.runName} cancelled`
              : `${paint("31", "✘")} run ${event.runName} failed`,
        );
        break;
      case "action-reused":
        place(event);
        io.err(
          `${who(event)} ${paint("36", "↻ reused")} ${paint("2", `(finished before: ${event.outputsPath})`)}`,
        );
        break;
      case "action-cached":
        place(event);
        io.err(`${who(event)} ${paint("36", "⚡ cache hit")}`);
        break;
      case "action-cancelled":
        place(event);
        io.err(`${who(event)} ${paint("33", "■ cancelled")}`);
        break;
      case "attempt-start": {
        place(event);
        saves.set(key(event), 0);
        const iso = event.isolation === "process" ? ", own process" : "";
        io.err(`${prefix(event)} started${iso}`);
        break;
      }
      case "checkpoint-load":
        io.err(
          event.found
            ? `${prefix(event)} ${paint("33", "↺ resumed from checkpoint")} ${paint("2", event.source)}`
            : `${prefix(event)} no previous checkpoint, starting fresh`,
        );
        break;
      case "checkpoint-save": {
        const n = (saves.get(key(event)) ?? 0) + 1;
        saves.set(key(event), n);
        if (n === 1) io.err(`${prefix(event)} checkpoint saved ${paint("2", event.destination)}`);
        break;
      }
      case "attempt-success":
        io.err(`${prefix(event)} ${paint("32", "ok")}${savesNote(saves.get(key(event)))}`);
        break;
      case "attempt-failure": {
        const verb = event.timedOut === true ? paint("31", "⏱ timed out") : paint("31", "failed");
        const what = `${verb}: ${describe(event.error)}${savesNote(saves.get(key(event)))}`;
        const next = event.willRetry
          ? ` ${paint("33", `→ retrying${event.delayMs > 0 ? ` in ${formatMs(event.delayMs)}` : ""}`)}`
          : "";
        io.err(`${prefix(event)} ${what}${next}`);
        break;
      }
    }
  };
}

function key(e: { action: string; attempt: number }): string {
  return `${e.action}#${e.attempt}`;
}

function savesNote(n: number | undefined): string {
  return n === undefined || n === 0 ? "" : ` (${n} checkpoint save${n === 1 ? "" : "s"})`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** One line: the error's name and message, the first line of it only. */
export function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split("\n")[0]!;
}
