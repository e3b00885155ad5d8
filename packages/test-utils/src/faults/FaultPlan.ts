/** The storage operations a fault can hit. Sync twins count as their async operation. */
export type FaultOperation = "head" | "get" | "getStream" | "put" | "putStream" | "list" | "delete";

/** Every operation, the default target of a {@link FaultPlan}. */
export const ALL_FAULT_OPERATIONS: readonly FaultOperation[] = Object.freeze([
  "head",
  "get",
  "getStream",
  "put",
  "putStream",
  "list",
  "delete",
]);

/**
 * What {@link withFaults} injects. Rates are probabilities per call in [0, 1], drawn from the
 * seeded generator, so one seed always gives the same schedule for the same sequence of calls.
 */
export interface FaultPlan {
  /** Seed of the generator. @default 1 */
  readonly seed?: number;
  /** Delay added before every targeted call, in ms: a fixed value or a `[min, max]` range. @default 0 */
  readonly latencyMs?: number | readonly [min: number, max: number];
  /** Share of calls that fail with a `TransientError` before reaching the storage. @default 0 */
  readonly transientRate?: number;
  /**
   * Share of calls that reach the storage and succeed, but whose answer is "lost": the caller
   * sees a `TransientError` (a reset after the server acted). Tests idempotence of retries. @default 0
   */
  readonly lostResponseRate?: number;
  /**
   * Share of streamed reads (`getStream`, `get`) whose connection resets part-way: some bytes
   * arrive, then a `TransientError` whose cause has code `ECONNRESET`. @default 0
   */
  readonly resetRate?: number;
  /**
   * Writes (`put`, `putStream`) die after this many body bytes reached the storage: the adapter
   * receives a body stream that fails with `ECONNRESET` there, and must discard the partial
   * object. Applies to the share of writes given by `dieRate`. @default undefined (never)
   */
  readonly dieAfterBytes?: number;
  /** Share of writes that die after `dieAfterBytes`. @default 1 when `dieAfterBytes` is set */
  readonly dieRate?: number;
  /**
   * A permanent fault: every targeted call fails, with a `TransientError` (`"unavailable"`, so
   * retries run and run out) or a `PermissionDeniedError` (`"denied"`, not retryable).
   */
  readonly permanent?: "unavailable" | "denied";
  /** Which operations are targeted. @default every operation */
  readonly operations?: readonly FaultOperation[];
  /** Only keys for which this returns true are targeted. @default every key */
  readonly keys?: (key: string) => boolean;
}

/** What a faulty storage did, per operation: calls made and faults injected. */
export interface FaultStats {
  readonly calls: Record<FaultOperation, number>;
  readonly injected: {
    transient: number;
    lostResponse: number;
    reset: number;
    died: number;
    permanent: number;
  };
}
