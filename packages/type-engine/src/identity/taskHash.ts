import { hashData } from "./hashData.js";

/**
 * The task identity hash (flyte-sdk `generate_task_identity_hash`):
 * base64(sha256(`"{taskName}-{interfaceHash}-{discoveryVersion}"`)). It names child actions, so
 * it leaves out everything that may change without changing the task (image, code bundle).
 */
export function taskHash(
  taskName: string,
  interfaceHash: string,
  discoveryVersion: string,
): string {
  return hashData(`${taskName}-${interfaceHash}-${discoveryVersion}`);
}
