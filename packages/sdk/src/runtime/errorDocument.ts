/**
 * How a failure is written to `error.pb`, as the Python runtime writes it (contract §1): `code`
 * is the error's class name, `message` its text, `kind` NON_RECOVERABLE for a
 * NonRecoverableError (and for failures retrying cannot fix), RECOVERABLE otherwise — set
 * explicitly, since 0 is NON_RECOVERABLE — and `origin` USER for what the task threw, SYSTEM for
 * failures of the runtime itself.
 */
import { encodeError } from "@flyte/type-engine";

import { isNonRecoverable } from "../errors.js";

/** Who a failure is attributed to. */
export type ErrorOrigin = "USER" | "SYSTEM";

/** The `ErrorDocument` bytes for `error`. */
export function errorDocumentOf(error: unknown, origin: ErrorOrigin = "USER"): Uint8Array {
  const cause = innermost(error);
  const code = cause instanceof Error ? cause.name : "Error";
  const message =
    cause instanceof Error ? cause.message : `a non-Error value was thrown: ${safeString(cause)}`;
  return encodeError({
    code,
    message,
    kind: isNonRecoverable(error) || isNonRecoverable(cause) ? "NON_RECOVERABLE" : "RECOVERABLE",
    origin,
  });
}

/** A TaskFailedError's last attempt error: what the task itself threw. */
function innermost(error: unknown): unknown {
  const e = error as { name?: unknown; cause?: unknown } | null;
  if (e !== null && typeof e === "object" && e.name === "TaskFailedError" && e.cause !== undefined)
    return e.cause;
  return error;
}

function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return typeof v;
  }
}
