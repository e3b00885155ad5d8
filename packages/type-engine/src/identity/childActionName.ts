/** flyte-sdk `base36_encode`: big-endian bytes as a base-36 number, `0-9a-z`, no padding. */
export function base36(bytes: Uint8Array): string {
  if (bytes.length === 0) return "0";
  // One BigInt from the hex digits and V8's own radix conversion: a digit loop over BigInt
  // divisions costs ~25 µs per name, and every child call makes one.
  return BigInt(
    `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("hex")}`,
  ).toString(36);
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
  // `node:crypto` is loaded on first use, not at import: keeps import("@flyte/sdk") light.
  const { createHash } = process.getBuiltinModule("node:crypto");
  return base36(createHash("md5").update(components).digest());
}
