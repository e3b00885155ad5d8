import type * as StorageBlob from "@azure/storage-blob";
import { MissingDependencyError } from "../errors.js";
import { optionalPeers } from "../internal/optionalPeers.js";

let loading: Promise<typeof StorageBlob> | undefined;

/**
 * Imports `@azure/storage-blob` on first use. It is an optional peer dependency: its absence only
 * matters to someone who uses `abfs://`, and then the error names the package to install.
 */
export function loadAzureSdk(uri: string): Promise<typeof StorageBlob> {
  loading ??= import("@azure/storage-blob").catch((cause: unknown) => {
    loading = undefined;
    throw cause;
  });
  return loading.catch((cause: unknown) => {
    throw new MissingDependencyError(uri, optionalPeers("@azure/storage-blob"), { cause });
  });
}
