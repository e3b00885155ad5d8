/**
 * Tasks the CLI and entrypoint tests run in a subprocess. Importing this module writes the file
 * named by FLYTE_TEST_MARKER (when set): a test that expects "no user code ran" checks that the
 * file does not exist.
 */
import { appendFileSync, readFileSync } from "node:fs";
import { NonRecoverableError, TaskEnvironment, ctx, getCustomContext } from "@flyte/sdk";

const marker = process.env["FLYTE_TEST_MARKER"];
if (marker !== undefined && marker !== "") appendFileSync(marker, "imported\n");

export const env = new TaskEnvironment({ name: "cli_fixtures" });

export const add = env.task(async function add(x: number, y = 2): Promise<number> {
  return x + y;
});

export const describeContext = env.task(async function describeContext(): Promise<
  Record<string, unknown>
> {
  const t = ctx()!;
  return {
    runName: t.action.runName,
    action: t.action.name,
    project: t.action.project ?? null,
    domain: t.action.domain ?? null,
    org: t.action.org ?? null,
    attemptNumber: t.attemptNumber,
    mode: t.mode,
    version: t.version,
    rawDataPath: t.rawDataPath.path,
    runBaseDir: t.runBaseDir,
    outputPath: t.outputPath,
    checkpointPath: t.checkpointPaths?.checkpointPath ?? null,
    prevCheckpointPath: t.checkpointPaths?.prevCheckpointPath ?? null,
    customContext: { ...t.customContext },
    scoped: { ...getCustomContext() },
    runStartTime: t.runStartTime?.toISOString() ?? null,
  };
});

/** Loads an index, then saves index+1 per iteration; attempt 0 throws at `failAt`. */
export const resumeLoop = env.task(
  { retries: 2 },
  async function resumeLoop(
    n = 6,
    failAt = 3,
  ): Promise<{ start: number; end: number; attempt: number }> {
    const t = ctx()!;
    const checkpoint = t.checkpoint!;
    const path = await checkpoint.load();
    const start = path === undefined ? 0 : Number(readFileSync(path, "utf8"));
    let i = start;
    for (; i < n; i++) {
      if (t.attemptNumber === 0 && i === failAt) throw new Error(`injected failure at ${i}`);
      await checkpoint.save(new TextEncoder().encode(String(i + 1)));
    }
    return { start, end: i, attempt: t.attemptNumber };
  },
);

export const child = env.task(async function child(x: number): Promise<string> {
  return `${ctx()!.action.name}:${x}:${getCustomContext()["team"] ?? "-"}`;
});

export const parent = env.task(async function parent(x: number): Promise<string[]> {
  return [await child(x), await child(x + 1)];
});

export const giveUp = env.task({ retries: 3 }, async function giveUp(): Promise<never> {
  throw new NonRecoverableError("this input can never work");
});

export const alwaysFails = env.task({ retries: 1 }, async function alwaysFails(): Promise<never> {
  throw new Error(`failed on attempt ${ctx()!.attemptNumber}`);
});

export const opts = env.task(async function opts(
  count = 1,
  label = "x",
  loud = false,
  data: unknown = null,
): Promise<unknown[]> {
  return [count, label, loud, data];
});

export const unserializable = env.task(async function unserializable(): Promise<bigint> {
  return 10n;
});
