import { createHash } from "node:crypto";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** flyte-sdk `base36_encode`: big-endian bytes as a base-36 number, `0-9a-z`, no padding. */
export function base36(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  if (n === 0n) return "0";
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 36n)]! + out;
    n /= 36n;
  }
  return out;
}

/**
 * A child action's name (flyte-sdk `ActionID.new_sub_action_from`):
 * base36(md5(`"{parent}-{inputsHash}-{taskHash}-{seq}"` + `"-{group}"` in a group)). `seq` counts
 * from 1 per parent and per `"{taskHash}:{inputsHash}[:{group}]"`; the parent's attempt is not
 * part of it, so a retried parent calls the same children by the same names.
 */
export function childActionName(
  parent: string,
  inputsHash: string,
  taskHash: string,
  seq: number,
  group?: string,
): string {
  if (!Number.isSafeInteger(seq) || seq < 1)
    throw new RangeError(`seq must be an integer ≥ 1, got ${seq}`);
  const components = `${parent}-${inputsHash}-${taskHash}-${seq}${group ? `-${group}` : ""}`;
  return base36(createHash("md5").update(components).digest());
}
