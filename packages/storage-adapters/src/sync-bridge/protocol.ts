import type { MessagePort } from "node:worker_threads";
import type { Bytes, ObjectMeta, PutMode } from "../Storage.js";

/** What the worker needs to build the async adapter it serves: a module of this package and a factory in it. */
export interface BridgeTarget {
  /** The subpath module, `s3` or `azure`. */
  readonly module: "s3" | "azure";
  /** The factory it exports, called as `factory(location, options)`. */
  readonly factory: string;
  readonly location: { readonly scheme: string; readonly bucket: string; readonly uri: string };
  /** Plain data only: it is structured-cloned into the worker. */
  readonly options: unknown;
}

/** What the bridge passes to a new worker. */
export interface BridgeWorkerData {
  readonly target: BridgeTarget;
  /** `file:` URL of the adapter module (TypeScript source in development, dist in a package). */
  readonly moduleUrl: string;
  /** `file:` URL of the worker logic the entry imports. */
  readonly workerUrl: string;
  readonly port: MessagePort;
}

/** One blocking call, as posted to the worker. */
export type BridgeRequest =
  | { readonly op: "head"; readonly key: string }
  | { readonly op: "get"; readonly key: string }
  | { readonly op: "getToFile"; readonly key: string; readonly path: string }
  | {
      readonly op: "put";
      readonly key: string;
      readonly body: Bytes | string;
      readonly mode?: PutMode;
    }
  | { readonly op: "putFile"; readonly key: string; readonly path: string; readonly mode?: PutMode }
  | { readonly op: "delete"; readonly key: string };

/** A request with the shared flag the worker raises when its reply is posted. */
export type BridgeEnvelope = BridgeRequest & {
  readonly id: number;
  readonly flag: SharedArrayBuffer;
};

/** An error as it crosses the thread boundary. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
  readonly uri?: string;
  readonly cause?: SerializedError;
}

/** The worker's answer to one request. */
export type BridgeReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly value: ObjectMeta | Bytes | null | undefined;
    }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };

/** Flattens an error (and its causes, two levels deep) into plain data that survives postMessage. */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const e = error as Error & {
    code?: unknown;
    uri?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const code = typeof e.code === "string" ? e.code : undefined;
  const uri = typeof e.uri === "string" ? e.uri : undefined;
  return {
    name: e.name,
    message: e.message,
    ...(e.stack !== undefined ? { stack: e.stack } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(uri !== undefined ? { uri } : {}),
    ...(e.cause !== undefined && depth < 2 ? { cause: serializeError(e.cause, depth + 1) } : {}),
  };
}
