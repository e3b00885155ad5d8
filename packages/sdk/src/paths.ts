/**
 * Where a local run writes, as URIs (or keys, when `init` was given one Storage instance):
 *
 * ```
 * <rawDataPath>/<runName>/                                   the run's raw data (TaskContext.rawDataPath)
 * <rawDataPath>/<runName>/<action>/                          the action's output path
 * <rawDataPath>/<runName>/<action>/<attempt>/_flytecheckpoints   the attempt's checkpoint
 * ```
 *
 * Per action and per attempt, mirroring the remote layout, so siblings never share a checkpoint
 * and a retry never overwrites what an earlier attempt saved (semantics §9.11).
 */

/** The checkpoint object's file name, as the Python SDK names it (`_CHECKPOINT_FILE_NAME`). */
export const CHECKPOINT_FILE_NAME = "_flytecheckpoints";

/** Joins URI or key segments with single slashes; the base keeps its scheme (`s3://b` + `k`). */
export function joinUri(base: string, ...parts: readonly string[]): string {
  let out = base;
  for (const part of parts) {
    const p = part.charCodeAt(0) === SLASH ? part.replace(/^\/+/, "") : part;
    if (p.length === 0) continue;
    out = out.charCodeAt(out.length - 1) === SLASH ? out + p : `${out}/${p}`;
  }
  return out;
}

/** The checkpoint URI of one attempt of one action (on every task call: kept to one concat). */
export function checkpointPathFor(runRaw: string, actionName: string, attempt: number): string {
  const base = runRaw.charCodeAt(runRaw.length - 1) === SLASH ? runRaw : `${runRaw}/`;
  return `${base}${actionName}/${attempt}/${CHECKPOINT_FILE_NAME}`;
}

const SLASH = 47;
