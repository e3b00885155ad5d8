/**
 * `ctx().checkpoint` is typed by @flyte/context-core as the small `CheckpointLike` (the core
 * never imports checkpoint code). In the SDK it is always a `@flyte/checkpoint` Checkpoint (the
 * runner's factory makes it), so this augmentation gives users its typed helpers there too:
 * `await ctx()!.checkpoint!.loadJson<number>()`.
 */
import type { Checkpoint } from "@flyte/checkpoint";

/** What the SDK adds to `CheckpointLike`: the typed helpers of `@flyte/checkpoint`'s Checkpoint. */
export type CheckpointHelpers = Pick<
  Checkpoint,
  | "loadBytes"
  | "loadBytesSync"
  | "loadJson"
  | "loadJsonSync"
  | "saveJson"
  | "saveJsonSync"
  | "dispose"
  | "lastLoad"
>;

declare module "@flyte/context-core" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface CheckpointLike extends CheckpointHelpers {}
}
