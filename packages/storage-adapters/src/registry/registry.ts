import nodeFs from "node:fs";

import type { Storage } from "../Storage.js";
import { InvalidArgumentError, StorageConfigurationError } from "../errors.js";
import type { PosixFs } from "../posix/PosixFs.js";
import { PosixStorage } from "../posix/PosixStorage.js";
import { memoryVolume } from "../posix/memoryVolume.js";
import { posixKeySegments } from "../posix/posixKey.js";
import { LazyStorage } from "./LazyStorage.js";
import type { StorageFactory, StorageLocation, StorageOptions } from "./StorageFactory.js";
import { knownSchemes } from "./knownSchemes.js";
import { optionsKey } from "./optionsKey.js";
import { parseStorageUri } from "./parseStorageUri.js";

/** What `resolveStorage` returns: the instance for the URI's location, and the key inside it. */
export interface ResolvedStorage {
  readonly storage: Storage;
  readonly key: string;
}

/** Options of {@link registerStorage}. */
export interface RegisterStorageOptions {
  /** Replace an adapter already registered for the scheme (built-ins included). @default false */
  readonly replace?: boolean;
}

const SCHEME_NAME = /^[a-z][a-z0-9+.-]+$/;

/** Posix storages by file system, so each memory volume and the disk have one instance each. */
const posixByFs = new WeakMap<PosixFs, Map<string, PosixStorage>>();

function posixStorage(
  fs: PosixFs,
  location: StorageLocation,
  options?: StorageOptions,
): PosixStorage {
  const memory = location.scheme === "memory";
  const fsync = options?.["fsync"];
  if (fsync !== undefined && typeof fsync !== "boolean") {
    throw new InvalidArgumentError(location.uri, "option fsync must be a boolean");
  }
  const cacheKey = optionsKey(options);
  let byOptions = posixByFs.get(fs);
  if (byOptions === undefined) posixByFs.set(fs, (byOptions = new Map()));
  let storage = byOptions.get(cacheKey);
  if (storage === undefined) {
    storage = new PosixStorage({
      fs,
      root: "/",
      scheme: location.scheme,
      baseUri: memory ? `memory://${location.bucket}/` : "file:///",
      singleProcess: memory,
      ...(fsync === undefined ? {} : { fsync }),
    });
    byOptions.set(cacheKey, storage);
  }
  return storage;
}

const builtins: ReadonlyMap<string, StorageFactory> = new Map<string, StorageFactory>([
  ["file", (location, options) => posixStorage(nodeFs, location, options)],
  // Looked up per call rather than cached by the registry, so a dropped volume starts afresh.
  ["memory", (location, options) => posixStorage(memoryVolume(location.bucket), location, options)],
]);

const registered = new Map<string, StorageFactory>();
const instances = new Map<string, Storage>();

/**
 * Makes `scheme` resolve through `factory`, which takes precedence over the built-ins and the
 * lazily loaded cloud adapters. Registering a scheme twice is refused unless `replace` is set;
 * replacing drops the instances cached for it.
 */
export function registerStorage(
  scheme: string,
  factory: StorageFactory,
  options: RegisterStorageOptions = {},
): void {
  const name = typeof scheme === "string" ? scheme.toLowerCase() : "";
  if (!SCHEME_NAME.test(name)) {
    throw new StorageConfigurationError(
      `${String(scheme)}://`,
      `"${String(scheme)}" is not a valid URI scheme (two or more of a-z 0-9 + . -, starting with a letter)`,
    );
  }
  if (typeof factory !== "function") {
    throw new StorageConfigurationError(
      `${name}://`,
      "the storage factory must be a function (location, options) => Storage",
    );
  }
  if (!options.replace && (registered.has(name) || builtins.has(name))) {
    throw new StorageConfigurationError(
      `${name}://`,
      `a storage adapter is already registered for "${name}"; pass { replace: true } to replace it`,
    );
  }
  registered.set(name, factory);
  forgetInstances(name);
}

/** Removes a registration made with {@link registerStorage}; built-ins come back. Returns whether one existed. */
export function unregisterStorage(scheme: string): boolean {
  const name = scheme.toLowerCase();
  forgetInstances(name);
  return registered.delete(name);
}

function forgetInstances(scheme: string): void {
  for (const cacheKey of [...instances.keys()]) {
    if (cacheKey.startsWith(`${scheme}\0`)) instances.delete(cacheKey);
  }
}

/**
 * The storage for `uri` and the key inside it; synchronous. `file:///abs/path` and bare paths
 * go to the disk, `memory://name/key` to a named in-process volume, `s3://`, `abfs://`,
 * `abfss://` and `az://` to the cloud adapters (loaded on first use), any other scheme to the
 * adapter registered for it. Instances are reused per scheme, bucket/container and options.
 * A malformed URI or an unknown scheme throws `StorageConfigurationError` naming the URI; a
 * local key that could escape its root throws `InvalidKeyError`.
 */
export function resolveStorage(uri: string, options?: StorageOptions): ResolvedStorage {
  const { location, key } = parseStorageUri(uri);
  const { scheme } = location;
  if (options !== undefined && (options === null || typeof options !== "object")) {
    throw new StorageConfigurationError(uri, "storage options must be an object");
  }
  const user = registered.get(scheme);
  const builtin = builtins.get(scheme);
  if (user === undefined && builtin !== undefined) {
    // Local keys are checked now, when they are given, not at the first read.
    if (key !== "") posixKeySegments(key, uri, { allowEmpty: true });
    return { storage: builtin(location, options), key };
  }
  const cacheKey = `${scheme}\0${location.bucket}\0${optionsKey(options)}`;
  let storage = instances.get(cacheKey);
  if (storage === undefined) {
    if (user !== undefined) {
      storage = user(location, options);
      if (storage === null || typeof storage !== "object" || typeof storage.get !== "function") {
        throw new StorageConfigurationError(
          uri,
          `the factory registered for "${scheme}" did not return a Storage`,
        );
      }
    } else {
      const spec = knownSchemes.get(scheme);
      if (spec === undefined) {
        const known = [
          ...new Set([...builtins.keys(), ...knownSchemes.keys(), ...registered.keys()]),
        ].sort();
        throw new StorageConfigurationError(
          uri,
          `no storage adapter for scheme "${scheme}" (known: ${known.join(", ")}); add one with registerStorage("${scheme}", factory)`,
        );
      }
      storage = new LazyStorage(location, spec, options);
    }
    instances.set(cacheKey, storage);
  }
  return { storage, key };
}

/**
 * Like {@link resolveStorage}, and waits until a lazily loaded adapter is ready, so its
 * `capabilities` and sync twins can be used at once. A missing SDK surfaces here as
 * `MissingDependencyError`.
 */
export async function openStorage(uri: string, options?: StorageOptions): Promise<ResolvedStorage> {
  const resolved = resolveStorage(uri, options);
  if (resolved.storage instanceof LazyStorage) await resolved.storage.ready();
  return resolved;
}
