/**
 * An abort signal that follows a parent signal and, optionally, fires on its own after a time
 * limit — the signal an attempt or an action runs under. Its timer and its listener on the
 * parent are removed by `dispose()`, so a run of ten thousand tasks leaves no timers and no
 * listeners behind on the run's signal. A deadline with no time limit is its parent's signal
 * itself: an attempt without a timeout costs no controller and no listener (most attempts).
 */

import { setMaxListeners } from "node:events";

/** setTimeout's longest delay; longer limits are waited for in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/** A signal bounded by a parent signal and a time limit. */
export class Deadline implements Disposable {
  /** Its own signal's controller; `undefined` when it only follows its parent (no limit). */
  readonly #controller: AbortController | undefined;
  readonly #parent: AbortSignal | undefined;
  readonly #onParentAbort = (): void => this.#abort(this.#parent!.reason);
  #timer: NodeJS.Timeout | undefined;

  /**
   * @param parent aborts this one too (with the parent's reason)
   * @param limitMs fire after this long, with `onTimeout()` as the reason; `undefined` for never
   * @param onTimeout the reason when the limit passes (a typed timeout error)
   */
  constructor(parent: AbortSignal | undefined, limitMs?: number, onTimeout?: () => unknown) {
    this.#parent = parent;
    if (limitMs === undefined && parent !== undefined) {
      // Aborts exactly when the parent does: the parent's signal is this one.
      this.#controller = undefined;
      return;
    }
    this.#controller = new AbortController();
    // Every child of a fan-out listens on its parent's signal: thousands of listeners are
    // expected here, and each is removed when its child ends.
    setMaxListeners(0, this.#controller.signal);
    if (parent !== undefined) {
      if (parent.aborted) {
        this.#controller.abort(parent.reason);
        return;
      }
      parent.addEventListener("abort", this.#onParentAbort, { once: true });
    }
    if (limitMs !== undefined)
      this.#arm(Date.now() + limitMs, onTimeout ?? (() => new Error("timed out")));
  }

  /** Aborts when the parent does, when the limit passes, or on {@link abort}. */
  get signal(): AbortSignal {
    return this.#controller?.signal ?? this.#parent!;
  }

  /** Removes the timer and the listener on the parent; the signal keeps its state. */
  dispose(): void {
    if (this.#controller === undefined) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#parent?.removeEventListener("abort", this.#onParentAbort);
  }

  /** Aborts with `reason` (the parent's, or the timeout's); no-op once aborted. */
  #abort(reason: unknown): void {
    const controller = this.#controller!;
    if (controller.signal.aborted) return;
    controller.abort(reason);
    this.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #arm(at: number, onTimeout: () => unknown): void {
    const wait = at - Date.now();
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        if (at - Date.now() > 0) this.#arm(at, onTimeout);
        else this.#abort(onTimeout());
      },
      Math.max(0, Math.min(wait, MAX_TIMER_MS)),
    );
  }
}

/**
 * Settles as `work` does, or rejects with the signal's reason as soon as `signal` aborts —
 * whichever comes first. A `work` that loses the race has its rejection handled, so a task that
 * ignores its signal and fails later leaves no unhandled rejection.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      work.catch(() => undefined);
      reject(signal.reason as Error);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error as Error);
      },
    );
  });
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first; leaves no timer behind. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && signal?.aborted !== true) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) return reject(signal.reason as Error);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
