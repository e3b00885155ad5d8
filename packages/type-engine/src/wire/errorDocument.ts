/**
 * `error.pb`: `flyteidl2.core.ErrorDocument { error: ContainerError { code, message, kind, origin } }`,
 * as the Python runtime writes it for a failed task (`convert.py`, `io.py`).
 */
import { codec } from "./codec.js";
import { ContainerErrorKind, ErrorOrigin } from "../proto/messages.js";
import { decodeWith } from "./decodeWith.js";

/** A task failure as `error.pb` holds it. */
export interface ContainerErrorInfo {
  /** The error's class name (`ValueError`, `TypeError`, …). */
  readonly code: string;
  readonly message: string;
  /** RECOVERABLE (retry) unless the error is non-recoverable; written explicitly either way. */
  readonly kind: "RECOVERABLE" | "NON_RECOVERABLE";
  /** USER for task code, SYSTEM for the runtime, UNKNOWN otherwise. */
  readonly origin: "USER" | "SYSTEM" | "UNKNOWN";
}

/** `error.pb` bytes. */
export function encodeError(e: ContainerErrorInfo): Uint8Array {
  return codec.writeErrorDocument({
    $typeName: "flyteidl2.core.ErrorDocument",
    error: {
      $typeName: "flyteidl2.core.ContainerError",
      code: e.code,
      message: e.message,
      kind: ContainerErrorKind[e.kind],
      origin: ErrorOrigin[e.origin],
    },
  });
}

/** Reads `error.pb`; a document without an error reads as an UNKNOWN, empty one. */
export function decodeError(bytes: Uint8Array): ContainerErrorInfo {
  const m = decodeWith("flyteidl2.core.ErrorDocument", bytes, codec.readErrorDocument);
  const c = m.error;
  const kind = c?.kind === ContainerErrorKind.RECOVERABLE ? "RECOVERABLE" : "NON_RECOVERABLE";
  const origin =
    c?.origin === ErrorOrigin.USER
      ? "USER"
      : c?.origin === ErrorOrigin.SYSTEM
        ? "SYSTEM"
        : "UNKNOWN";
  return { code: c?.code ?? "", message: c?.message ?? "", kind, origin };
}
