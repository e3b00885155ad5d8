/**
 * What a task body that honours its signal does while it has nothing else to do: waits, and
 * rejects with the signal's reason when it aborts. For the timeout, cancellation and isolation
 * fixtures.
 */

/** Never resolves; rejects with `signal.reason` once `signal` aborts (at once if it has). */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true });
  });
}
