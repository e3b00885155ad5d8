/**
 * What a run reports while it goes: one event per action attempt, retry and checkpoint access.
 * The CLI prints them as progress lines; `withRunContext({ onEvent })` receives them.
 */

/** Fields every event about an action carries. */
export interface ActionEventBase {
  readonly runName: string;
  /** The action's name (`a0` for the run's root). */
  readonly action: string;
  /** The parent action's name; absent for the root. */
  readonly parent?: string;
  /** The task's name (`fn.name`). */
  readonly task: string;
  /** 0 for the first attempt. */
  readonly attempt: number;
  /** Attempts allowed in all (`retries + 1`). */
  readonly maxAttempts: number;
  /** The `flyte.group` the call was made in, if any. */
  readonly group?: string;
}

/** Fields of the events about a whole action (not one of its attempts). */
export type ActionInfo = Omit<ActionEventBase, "attempt" | "maxAttempts">;

/** Everything a run reports. */
export type RunEvent =
  | {
      readonly type: "run-start";
      readonly runName: string;
      readonly rawDataPath: string;
      readonly task: string;
      /** Whether the run resumes an earlier one (`--resume`): finished actions are reused. */
      readonly resumed?: boolean;
    }
  | {
      readonly type: "run-end";
      readonly runName: string;
      readonly ok: boolean;
      readonly error?: unknown;
      /** Whether the run ended because it was cancelled. */
      readonly cancelled?: boolean;
    }
  /** A finished action's stored outputs were returned; its task did not run again. */
  | (ActionInfo & { readonly type: "action-reused"; readonly outputsPath: string })
  /** The task cache held outputs for these inputs; the task did not run. */
  | (ActionInfo & { readonly type: "action-cached"; readonly cacheKey: string })
  /** The action stopped because its run or its parent was cancelled. */
  | (ActionInfo & { readonly type: "action-cancelled" })
  | (ActionEventBase & {
      readonly type: "attempt-start";
      readonly checkpointPath: string;
      /** Where this attempt's checkpoint loads from: the last one an earlier attempt saved. */
      readonly prevCheckpointPath?: string;
      readonly isolation: "none" | "process";
    })
  | (ActionEventBase & { readonly type: "attempt-success" })
  | (ActionEventBase & {
      readonly type: "attempt-failure";
      readonly error: unknown;
      /** Whether the attempt ran out of time (the error is a TaskTimeoutError). */
      readonly timedOut?: boolean;
      /** Whether another attempt follows. */
      readonly willRetry: boolean;
      /** The wait before it, ms. */
      readonly delayMs: number;
    })
  | (ActionEventBase & {
      readonly type: "checkpoint-load";
      readonly source: string;
      /** Whether a previous checkpoint was found. */
      readonly found: boolean;
    })
  | (ActionEventBase & { readonly type: "checkpoint-save"; readonly destination: string });

/** Receives a run's events. A listener that throws is ignored (it must not fail the run). */
export type RunEventListener = (event: RunEvent) => void;
