import type * as ClientS3 from "@aws-sdk/client-s3";
import type * as LibStorage from "@aws-sdk/lib-storage";
import { MissingDependencyError } from "../errors.js";
import { optionalPeers, type OptionalPeer } from "../internal/optionalPeers.js";

/** The two optional peer packages the S3 adapter runs on. */
export interface S3Sdk {
  readonly client: typeof ClientS3;
  readonly storage: typeof LibStorage;
}

let loading: Promise<S3Sdk> | undefined;

/**
 * Imports the AWS SDK on first use. It is an optional peer dependency, so its absence must only
 * matter to someone who uses `s3://`, and then say which package to install.
 */
export function loadS3Sdk(uri: string): Promise<S3Sdk> {
  loading ??= importBoth().catch((cause: unknown) => {
    loading = undefined;
    throw cause;
  });
  return loading.catch((cause: unknown) => {
    const missing = (cause as { missing?: OptionalPeer[] }).missing;
    if (missing)
      throw new MissingDependencyError(uri, optionalPeers(...missing), {
        cause: (cause as { cause?: unknown }).cause,
      });
    throw cause;
  });
}

async function importBoth(): Promise<S3Sdk> {
  const [client, storage] = await Promise.allSettled([
    import("@aws-sdk/client-s3"),
    import("@aws-sdk/lib-storage"),
  ]);
  const missing: OptionalPeer[] = [];
  if (client.status === "rejected") missing.push("@aws-sdk/client-s3");
  if (storage.status === "rejected") missing.push("@aws-sdk/lib-storage");
  if (client.status === "fulfilled" && storage.status === "fulfilled") {
    return { client: client.value, storage: storage.value };
  }
  const first =
    client.status === "rejected" ? client.reason : (storage as PromiseRejectedResult).reason;
  throw Object.assign(new Error("missing AWS SDK"), { missing, cause: first });
}
