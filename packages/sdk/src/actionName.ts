/**
 * Deterministic child action names, as the Python SDK's `ActionID.new_sub_action_from` makes
 * them: base36 of the md5 of what identifies the call. The same parent, task and call order give
 * the same name on every run; two calls never share one.
 */
import { hash } from "node:crypto";

/** The name of the run's root action, as Flyte names it. */
export const ROOT_ACTION_NAME = "a0";

/**
 * `base36(md5("<parent>-<parentAttempt>-<task>-<seq>"))`. The parent's attempt is part of it
 * because a local runner keeps no finished actions to reuse: a retried parent's children are new
 * actions, with their own attempts and checkpoints, rather than a replay of the old ones.
 */
export function childActionName(parent: string, parentAttempt: number, taskFullName: string, seq: number): string {
  const digest = hash("md5", `${parent}-${parentAttempt}-${taskFullName}-${seq}`, "hex");
  return BigInt(`0x${digest}`).toString(36);
}
