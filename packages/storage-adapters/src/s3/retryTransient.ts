import { setTimeout as sleep } from "node:timers/promises";

/**
 * Retries `attempt` while `retryable(error)` says so, with capped exponential backoff and jitter.
 * For what the SDK cannot retry itself: bodies it sees as streams (a file it could reopen) and
 * radosgw's 409 ConditionalRequestConflict on racing conditional writes.
 */
export async function retryTransient<T>(
  attempt: () => Promise<T>,
  retryable: (error: unknown) => boolean,
  maxAttempts: number,
  signal?: AbortSignal,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= maxAttempts || !retryable(error) || signal?.aborted) throw error;
      const delay = Math.min(2000, 50 * 2 ** (n - 1));
      await sleep(
        delay / 2 + Math.random() * (delay / 2),
        undefined,
        signal ? { signal } : undefined,
      );
    }
  }
}
