/**
 * The bench harness every package's `bench/*.bench.ts` uses. Each bench file runs in its own
 * process (see run.ts), measures its cases against the natural baseline *in the same run*, and
 * prints one markdown table. Ratios are what we track; absolute numbers vary run to run.
 */
import { Bench } from "tinybench";

/** One compared pair: a case and the baseline it is judged against. */
export interface Comparison {
  readonly name: string;
  /** What the target says, e.g. "≤ 1.3×" or "≥ 0.8×". */
  readonly target: string;
  readonly baseline: { readonly name: string; readonly fn: () => unknown };
  readonly subject: { readonly name: string; readonly fn: () => unknown };
  /** "time": ratio = subject ns / baseline ns (lower is better). "throughput": baseline ns / subject ns. */
  readonly kind?: "time" | "throughput";
}

/** A measured comparison. */
export interface ComparisonResult {
  readonly name: string;
  readonly target: string;
  readonly baselineName: string;
  readonly subjectName: string;
  readonly baselineNs: number;
  readonly subjectNs: number;
  readonly ratio: number;
  readonly kind: "time" | "throughput";
}

/**
 * Runs each comparison with tinybench, baseline and subject interleaved in one Bench so both
 * see the same machine state. Returns the medians.
 */
export async function compare(
  comparisons: readonly Comparison[],
  options: { time?: number; warmupTime?: number; iterations?: number } = {},
): Promise<ComparisonResult[]> {
  const results: ComparisonResult[] = [];
  // BENCH_CASES=<text> keeps only the cases whose name holds it (for iterating on one case).
  const only = process.env.BENCH_CASES;
  for (const c of comparisons) {
    if (only !== undefined && !c.name.includes(only)) continue;
    const bench = new Bench({
      time: options.time ?? 700,
      warmupTime: options.warmupTime ?? 200,
      iterations: options.iterations ?? 10,
    });
    bench.add(`base:${c.baseline.name}`, c.baseline.fn).add(`subj:${c.subject.name}`, c.subject.fn);
    // Two rounds, keep the better median of each: the machine is noisy (±30 % run to run).
    let baseNs = Infinity;
    let subjNs = Infinity;
    for (let round = 0; round < 2; round++) {
      await bench.run();
      const [b, s] = bench.tasks;
      baseNs = Math.min(baseNs, medianNs(b!));
      subjNs = Math.min(subjNs, medianNs(s!));
    }
    const kind = c.kind ?? "time";
    results.push({
      name: c.name,
      target: c.target,
      baselineName: c.baseline.name,
      subjectName: c.subject.name,
      baselineNs: baseNs,
      subjectNs: subjNs,
      ratio: kind === "time" ? subjNs / baseNs : baseNs / subjNs,
      kind,
    });
  }
  return results;
}

function medianNs(task: { result?: unknown }): number {
  const r = task.result as { latency?: { p50?: number; mean?: number } } | undefined;
  const ms = r?.latency?.p50 ?? r?.latency?.mean;
  if (ms === undefined) throw new Error("bench task produced no latency result");
  return ms * 1e6;
}

/** Formats nanoseconds with a sensible unit. */
export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(1)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toFixed(2)} ms`;
  return `${(ns / 1_000_000_000).toFixed(2)} s`;
}

/** Prints a markdown table of comparison results under a heading. */
export function printTable(title: string, results: readonly ComparisonResult[]): void {
  const lines = [
    `### ${title}`,
    "",
    "| case | baseline | baseline time | ours | our time | ratio | target |",
    "|---|---|---|---|---|---|---|",
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.baselineName} | ${formatNs(r.baselineNs)} | ${r.subjectName} | ${formatNs(r.subjectNs)} | ${r.ratio.toFixed(2)}× | ${r.target} |`,
    ),
    "",
  ];
  console.log(lines.join("\n"));
}

/** Prints free-form rows (for throughput / RSS measurements that are not tinybench pairs). */
export function printRows(
  title: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
): void {
  console.log(
    [
      `### ${title}`,
      "",
      `| ${header.join(" | ")} |`,
      `|${header.map(() => "---").join("|")}|`,
      ...rows.map((r) => `| ${r.join(" | ")} |`),
      "",
    ].join("\n"),
  );
}

/** Peak RSS sampler: call `stop()` to get the peak resident set size seen, in bytes. */
export function sampleRss(intervalMs = 5): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}
