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
}

/** Everything a run reports. */
export type RunEvent =
  | { readonly type: "run-start"; readonly runName: string; readonly rawDataPath: string; readonly task: string }
  | { readonly type: "run-end"; readonly runName: string; readonly ok: boolean; readonly error?: unknown }
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
