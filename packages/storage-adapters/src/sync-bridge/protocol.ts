import type { MessagePort } from "node:worker_threads";
import type { Bytes, ObjectMeta, PutMode } from "../Storage.js";

/** What the worker needs to build the async adapter it serves: a module of this package and a factory in it. */
export interface BridgeTarget {
  /** The subpath module, `s3` or `azure`. */
  readonly module: "s3" | "azure";
  /** A `file:` URL of another module to load instead (tests of the bridge itself). */
  readonly moduleUrl?: string;
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
  /** The shared control cells, see {@link CONTROL}. */
  readonly control: SharedArrayBuffer;
}

/**
 * The cells of the `Int32Array` over `BridgeWorkerData.control` that the blocked caller
 * watches, since it cannot receive events: `REPLY` is raised (and notified) once a reply is
 * posted; `BEAT` is counted up by the worker while its event loop runs; `STATE` says the
 * worker is exiting (it notifies `REPLY` too, to wake the caller).
 */
export const CONTROL = { REPLY: 0, BEAT: 1, STATE: 2, CELLS: 3 } as const;
/** Values of `CONTROL.STATE`. */
export const WORKER_STATE = { RUNNING: 0, EXITING: 1 } as const;
/** How often the worker counts `CONTROL.BEAT` up. */
export const HEARTBEAT_MS = 100;

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

/** A request with the number its reply carries. */
export type BridgeEnvelope = BridgeRequest & { readonly id: number };

/** An error as it crosses the thread boundary. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
  readonly uri?: string;
  /** Plain-data fields of a `StorageError` beyond those above (`detail`, `packages`, ...). */
  readonly fields?: Readonly<Record<string, unknown>>;
  readonly cause?: SerializedError;
}

/** The data fields a `StorageError` subclass may carry, copied across the thread boundary. */
const STORAGE_ERROR_FIELDS = ["detail", "packages", "installCommand"] as const;

/**
 * The worker's answer to one request; or, with `fatal`, its last word before it exits (an
 * uncaught error), which answers whatever request is waiting.
 */
export type BridgeReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly value: ObjectMeta | Bytes | null | undefined;
    }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: SerializedError;
      readonly fatal?: true;
    };

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
  const fields: Record<string, unknown> = {};
  for (const name of STORAGE_ERROR_FIELDS) {
    const value = (error as unknown as Record<string, unknown>)[name];
    if (value !== undefined) fields[name] = structuredClone(value);
  }
  return {
    name: e.name,
    message: e.message,
    ...(e.stack !== undefined ? { stack: e.stack } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(uri !== undefined ? { uri } : {}),
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
    ...(e.cause !== undefined && depth < 2 ? { cause: serializeError(e.cause, depth + 1) } : {}),
  };
}
