/** An error as `--json` output and progress lines describe it. */
export interface ErrorDescription {
  readonly name: string;
  readonly message: string;
  /** Set when retrying stopped (or must stop) because of a NonRecoverableError. */
  readonly nonRecoverable?: boolean;
  /** For a TaskFailedError: each failed attempt, oldest first. */
  readonly attempts?: ReadonlyArray<{ attempt: number; name: string; message: string }>;
  /** The error's `cause`, described the same way (one level). */
  readonly cause?: { name: string; message: string };
}

/** Describes any thrown value for machines: name, message, attempts, cause. */
export function describeError(error: unknown): ErrorDescription {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const e = error as Error & { nonRecoverable?: unknown; attempts?: unknown };
  const out: { -readonly [K in keyof ErrorDescription]: ErrorDescription[K] } = {
    name: e.name,
    message: e.message,
  };
  if (typeof e.nonRecoverable === "boolean") out.nonRecoverable = e.nonRecoverable;
  else if (e.name === "NonRecoverableError") out.nonRecoverable = true;
  if (Array.isArray(e.attempts)) {
    out.attempts = (e.attempts as Array<{ attempt: number; error: unknown }>).map((a) => ({
      attempt: a.attempt,
      name: a.error instanceof Error ? a.error.name : "Error",
      message: a.error instanceof Error ? a.error.message : String(a.error),
    }));
  }
  if (e.cause !== undefined) {
    out.cause =
      e.cause instanceof Error
        ? { name: e.cause.name, message: e.cause.message }
        : { name: "Error", message: String(e.cause) };
  }
  return out;
}
