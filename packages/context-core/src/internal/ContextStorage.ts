import type { Frame } from "./Frame.js";

/**
 * The one seam between the core and the platform's async context. It has exactly the shape of
 * the parts of Node's `AsyncLocalStorage` we use, so on Node the ALS instance itself is the
 * storage and the hot path (`ContextVar.get`) pays for no wrapper call.
 */
export interface ContextStorage {
  /** The frame of the current execution, or `undefined` outside any. */
  getStore(): Frame | undefined;
  /** Runs `fn` with `frame` current; the previous frame is back when `fn` returns or throws. */
  run<R>(frame: Frame, fn: () => R): R;
  /** Makes `frame` current for the rest of this execution and what it starts (ContextVar.set). */
  enterWith(frame: Frame): void;
}

/** What the process-wide slot holds: one storage, shared by every copy of this package. */
export interface StorageSlot {
  storage: ContextStorage | undefined;
  /** "async-local-storage" on Node, "sync-stack" elsewhere. */
  kind: "async-local-storage" | "sync-stack" | undefined;
  /** Makes a temporary folder (installed by the Node entry; used by RawDataPath.fromLocalFolder()). */
  makeTempDir: ((prefix: string) => string) | undefined;
  /** The variable holding the SDK Context: one per process, so every copy of the package sees one context. */
  rootContextVar: unknown;
  /**
   * Bumped whenever a scope is left everywhere: lookup memos made before are stale (a frame they
   * saw went transparent). Branch roots record it when made (`Frame.born`).
   */
  epoch: number;
  /** The id of the current synchronous run (internal/runClock.ts). */
  run: number;
  /** Whether run `run` may still be executing: cleared by a microtask queued when it opened. */
  runOpen: boolean;
  /** The job `run` was opened in, as `jobId` named it. */
  runJob: number;
  /**
   * Names the job (the macrotask, tick or callback) now executing, so a job that starts before
   * the microtask closing the previous run has run still counts as a run of its own. The Node
   * entry installs `executionAsyncId`; elsewhere every job answers 0.
   */
  jobId: (() => number) | undefined;
}

/**
 * Versioned so that two installed copies of the same major share one context (OpenTelemetry and
 * Temporal pin their storage the same way), while a future incompatible major does not.
 */
const SLOT_KEY = Symbol.for("@flyte/context-core/storage@1");

/** The process-wide slot, created on first use. */
export function storageSlot(): StorageSlot {
  const g = globalThis as unknown as Record<symbol, StorageSlot | undefined>;
  let slot = g[SLOT_KEY];
  if (slot === undefined) {
    slot = {
      storage: undefined,
      kind: undefined,
      makeTempDir: undefined,
      rootContextVar: undefined,
      epoch: 0,
      run: 0,
      runOpen: false,
      runJob: 0,
      jobId: undefined,
    };
    Object.defineProperty(g, SLOT_KEY, { value: slot, enumerable: false, configurable: false });
  } else if (slot.run === undefined) {
    // Made by an earlier copy of this major that had no run clock (internal/runClock.ts).
    slot.run = 0;
    slot.runOpen = false;
    slot.runJob = 0;
  }
  return slot;
}
