/**
 * How hard the suite pushes. The default run (CI's `pnpm test`) keeps each file short; the full
 * run (`pnpm test:reliability:full`, FLYTE_RELIABILITY_FULL=1) does the counts RELIABILITY.md
 * reports. FLYTE_RELIABILITY_SEED replays a run's random choices.
 */

/** True for the full run. */
export const FULL = process.env.FLYTE_RELIABILITY_FULL === "1";

/** The seed of every random choice of this run (printed, so a failure can be replayed). */
export const SEED = Number(process.env.FLYTE_RELIABILITY_SEED ?? Date.now() % 2 ** 31);

/** `full` in the full run, else `quick`; an integer variable `name` overrides both. */
export function scale(name: string, quick: number, full: number): number {
  const v = process.env[name];
  if (v !== undefined && /^\d+$/.test(v)) return Number(v);
  return FULL ? full : quick;
}

/** A per-test timeout: `quick` ms in the default run, an hour in the full run. */
export function timeout(quick: number): number {
  return FULL ? 3_600_000 : quick;
}
