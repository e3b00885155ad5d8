/**
 * `flyte.init(...)`: where local runs keep their raw data and checkpoints. Without a call, runs
 * use the local disk under the project folder (`.flyte/` in the working directory, or
 * `$FLYTE_HOME`). Options are checked when given; a bad one throws {@link ConfigurationError}.
 */
import path from "node:path";

import { resolveStorage } from "@flyte/storage-adapters";
import type { StorageResolver } from "@flyte/checkpoint";
import type { Storage } from "@flyte/storage-adapters";

import { ConfigurationError } from "./errors.js";
import { joinUri } from "./paths.js";

/** The options of {@link init}. */
export interface InitOptions {
  /**
   * Where runs write: a URI prefix (`memory://tests`, `s3://bucket/prefix`,
   * `abfs://container@account.dfs.core.windows.net/prefix`, `file:///abs/dir`) or a local path.
   * With `storage` set to one Storage instance, a key prefix inside it.
   * @default `<home>/raw_data`
   */
  readonly rawDataPath?: string;
  /**
   * The storage checkpoints are read from and written to: one `Storage` instance (paths are then
   * keys inside it), or a resolver from URI to storage and key. @default `resolveStorage` by scheme
   */
  readonly storage?: Storage | StorageResolver;
  /** The project folder for local state. @default `$FLYTE_HOME`, else `<cwd>/.flyte` */
  readonly home?: string;
  /**
   * Where the task cache lives (a URI prefix or a local path; with `storage` set to one Storage
   * instance, a key prefix inside it). @default `<rawDataPath>/_cache`
   */
  readonly cachePath?: string;
}

/** The configuration in force (after {@link init}, or the defaults). */
export interface SdkConfig {
  readonly home: string;
  /** The base every run's folder goes under. */
  readonly rawDataPath: string;
  /** Where the task cache lives. */
  readonly cachePath: string;
  /** What `init` was given as `storage`, if anything (the Checkpoint storage option). */
  readonly storage: Storage | StorageResolver | undefined;
  /** URI → storage + key, honouring `storage`. */
  readonly resolve: StorageResolver;
}

const KNOWN = ["rawDataPath", "storage", "home", "cachePath"] as const;
const URI = /^[a-zA-Z][a-zA-Z0-9+.-]+:\/\//;

let current: SdkConfig | undefined;

/**
 * Configures where local runs write. Call it once at start-up (tests call it with a `memory://`
 * path); a later call replaces the configuration for runs started after it.
 */
export function init(options: InitOptions = {}): void {
  current = buildConfig(options);
}

/** The configuration in force: what {@link init} set, or the defaults (built on first use). */
export function currentConfig(): SdkConfig {
  return (current ??= buildConfig({}));
}

/**
 * Checks a raw data path given to `withRunContext` and makes it absolute when it is a local path
 * (so a child process with another working directory sees the same folder).
 */
export function normalizeRawDataPath(
  value: unknown,
  option: string,
  code: "INVALID_INIT" | "INVALID_RUN_CONTEXT",
  storage: SdkConfig["storage"],
): string {
  if (typeof value !== "string" || value.trim().length === 0) {
    throw new ConfigurationError(
      code,
      option,
      `${option} must be a non-empty string, got ${JSON.stringify(value)}`,
    );
  }
  if (value.includes("{{")) {
    throw new ConfigurationError(code, option, `${option} is an unsubstituted template: ${value}`);
  }
  if (typeof storage === "object" && storage !== null) return value; // a key inside the given instance
  const normalized = URI.test(value) ? value : path.resolve(value);
  if (storage === undefined) {
    try {
      // Refuses unknown schemes and malformed URIs now, rather than at the first checkpoint.
      resolveStorage(normalized);
    } catch (error) {
      throw new ConfigurationError(
        code,
        option,
        `${option} ${JSON.stringify(value)} cannot be used: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  return normalized;
}

function buildConfig(options: InitOptions): SdkConfig {
  if (typeof options !== "object" || options === null) {
    throw new ConfigurationError(
      "INVALID_INIT",
      "options",
      `init options must be an object, got ${String(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!(KNOWN as readonly string[]).includes(key)) {
      throw new ConfigurationError(
        "INVALID_INIT",
        key,
        `init has no option "${key}" (known: ${KNOWN.join(", ")})`,
      );
    }
  }
  const { storage } = options;
  if (storage !== undefined && typeof storage !== "function" && !isStorage(storage)) {
    throw new ConfigurationError(
      "INVALID_INIT",
      "storage",
      "init storage must be a Storage (head/get/put/delete...) or a function (uri) => { storage, key }",
    );
  }
  let home: string;
  if (options.home !== undefined) {
    if (typeof options.home !== "string" || options.home.trim().length === 0) {
      throw new ConfigurationError(
        "INVALID_INIT",
        "home",
        `init home must be a non-empty path, got ${JSON.stringify(options.home)}`,
      );
    }
    home = path.resolve(options.home);
  } else {
    const fromEnv = process.env["FLYTE_HOME"];
    home =
      fromEnv !== undefined && fromEnv.trim() !== ""
        ? path.resolve(fromEnv)
        : path.resolve(".flyte");
  }
  const rawDataPath =
    options.rawDataPath === undefined
      ? joinUri(home, "raw_data")
      : normalizeRawDataPath(options.rawDataPath, "rawDataPath", "INVALID_INIT", storage);
  const cachePath =
    options.cachePath === undefined
      ? joinUri(rawDataPath, "_cache")
      : normalizeRawDataPath(options.cachePath, "cachePath", "INVALID_INIT", storage);
  const resolve: StorageResolver =
    storage === undefined
      ? (uri) => resolveStorage(uri)
      : typeof storage === "function"
        ? storage
        : (uri) => ({ storage, key: uri });
  return Object.freeze({
    home,
    rawDataPath,
    cachePath,
    storage,
    resolve,
  });
}

function isStorage(value: unknown): value is Storage {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Record<string, unknown>;
  return ["head", "get", "put", "delete"].every((m) => typeof s[m] === "function");
}
