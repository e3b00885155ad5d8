import { optionalPeers } from "../internal/optionalPeers.js";
import type { LazyAdapterSpec } from "./LazyStorage.js";

// Held in variables so neither TypeScript nor a bundler follows them: the root entry must not
// pull the cloud adapters (and their SDKs) in; they load on first use.
const s3Module: string = "@flyte/storage-adapters/s3";
const azureModule: string = "@flyte/storage-adapters/azure";

const s3: LazyAdapterSpec = {
  load: () => import(s3Module),
  module: s3Module,
  factory: "createS3Storage",
  packages: optionalPeers("@aws-sdk/client-s3", "@aws-sdk/lib-storage"),
  bridge: "s3",
};

const azure: LazyAdapterSpec = {
  load: () => import(azureModule),
  module: azureModule,
  factory: "createAzureStorage",
  packages: optionalPeers("@azure/storage-blob"),
  bridge: "azure",
};

/** Schemes that resolve with no registration, to an adapter loaded on first use. */
export const knownSchemes: ReadonlyMap<string, LazyAdapterSpec> = new Map([
  ["s3", s3],
  ["abfs", azure],
  ["abfss", azure],
  ["az", azure],
]);
