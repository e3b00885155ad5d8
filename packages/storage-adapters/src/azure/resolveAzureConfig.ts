import { StorageConfigurationError } from "../errors.js";
import { parseEndpoint } from "../internal/parseEndpoint.js";
import type { AzureLocation, AzureStorageOptions } from "./AzureStorageOptions.js";
import { accountOfHost, checkContainer, parseAbfsUri } from "./parseAbfsUri.js";

/** The Azure settings after options, URI and environment are merged and checked. */
export interface ResolvedAzureConfig {
  readonly container: string;
  readonly accountName: string;
  /** The blob service URL of the account, without a trailing `/` or SAS. */
  readonly endpoint: string;
  readonly credential:
    | { readonly kind: "key"; readonly accountKey: string }
    | { readonly kind: "sas"; readonly sasToken: string }
    | { readonly kind: "anonymous" };
  readonly blockSize: number;
  readonly concurrency: number;
  readonly maxAttempts: number;
}

/** Azurite's well-known development account, used by `UseDevelopmentStorage=true`. */
const DEV_ACCOUNT = "devstoreaccount1";
const DEV_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/**
 * Merges options over the URI and the `AZURE_STORAGE_*` variables and checks the result, so a bad
 * setting fails when the adapter is created. `uri` names the storage in errors.
 */
export function resolveAzureConfig(
  location: AzureLocation,
  options: AzureStorageOptions,
  uri: string,
): ResolvedAzureConfig {
  const env = options.env ?? process.env;
  const pick = (...names: string[]): string | undefined => {
    for (const name of names) {
      const value = env[name];
      if (value !== undefined && value !== "") return value;
    }
    return undefined;
  };
  const { container, account: uriAccount } = containerAndAccount(location, uri);
  const cs = parseConnectionString(
    options.connectionString ?? pick("AZURE_STORAGE_CONNECTION_STRING"),
    uri,
  );
  const accountName =
    options.accountName ??
    uriAccount ??
    cs.AccountName ??
    pick("AZURE_STORAGE_ACCOUNT_NAME", "AZURE_STORAGE_ACCOUNT");
  if (accountName === undefined) {
    throw new StorageConfigurationError(
      uri,
      "no Azure storage account: write abfs://container@ACCOUNT.dfs.core.windows.net/..., or set accountName / AZURE_STORAGE_ACCOUNT_NAME",
    );
  }
  if (cs.AccountName !== undefined && cs.AccountName !== accountName) {
    throw new StorageConfigurationError(
      uri,
      `the connection string is for account "${cs.AccountName}", not "${accountName}"`,
    );
  }
  const endpoint = (
    options.endpoint ??
    pick("AZURE_STORAGE_ENDPOINT") ??
    cs.BlobEndpoint ??
    `https://${accountName}.blob.core.windows.net`
  ).replace(/\/+$/, "");
  parseEndpoint(endpoint, uri, "Azure");
  const accountKey =
    options.accountKey ?? cs.AccountKey ?? pick("AZURE_STORAGE_ACCOUNT_KEY", "AZURE_STORAGE_KEY");
  const sasToken = options.sasToken ?? cs.SharedAccessSignature ?? pick("AZURE_STORAGE_SAS_TOKEN");
  const credential: ResolvedAzureConfig["credential"] =
    accountKey !== undefined
      ? { kind: "key", accountKey }
      : sasToken !== undefined
        ? { kind: "sas", sasToken: sasToken.replace(/^\?/, "") }
        : { kind: "anonymous" };
  const blockSize = options.blockSize ?? 8 * 1024 * 1024;
  if (!Number.isSafeInteger(blockSize) || blockSize < 1 || blockSize > 4000 * 1024 * 1024) {
    throw new StorageConfigurationError(
      uri,
      "blockSize must be an integer between 1 byte and 4000 MiB",
    );
  }
  const concurrency = options.concurrency ?? 4;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new StorageConfigurationError(uri, "concurrency must be a positive integer");
  }
  const maxAttempts = options.maxAttempts ?? 5;
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) {
    throw new StorageConfigurationError(uri, "maxAttempts must be a positive integer");
  }
  return { container, accountName, endpoint, credential, blockSize, concurrency, maxAttempts };
}

function containerAndAccount(
  location: AzureLocation,
  uri: string,
): { container: string; account: string | undefined } {
  const bucket = location.bucket ?? "";
  const at = bucket.indexOf("@");
  if (at >= 0) {
    const container = bucket.slice(0, at);
    checkContainer(container, uri);
    return { container, account: accountOfHost(bucket.slice(at + 1)) };
  }
  if (bucket !== "") {
    checkContainer(bucket, uri);
    // The registry may pass only the container; the account is still in the URI's host.
    let account: string | undefined;
    try {
      account = parseAbfsUri(location.uri).account;
    } catch {
      account = undefined;
    }
    return { container: bucket, account };
  }
  const parsed = parseAbfsUri(location.uri);
  return { container: parsed.container, account: parsed.account };
}

interface ConnectionString {
  AccountName?: string;
  AccountKey?: string;
  BlobEndpoint?: string;
  SharedAccessSignature?: string;
}

function parseConnectionString(value: string | undefined, uri: string): ConnectionString {
  if (value === undefined) return {};
  const out: Record<string, string> = {};
  for (const part of value.split(";")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    // The message must not echo the string: it holds the account key.
    if (eq <= 0)
      throw new StorageConfigurationError(
        uri,
        "the Azure connection string is malformed (expected Name=value pairs)",
      );
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  if (out.UseDevelopmentStorage === "true") {
    return {
      AccountName: DEV_ACCOUNT,
      AccountKey: DEV_KEY,
      BlobEndpoint: out.DevelopmentStorageProxyUri ?? `http://127.0.0.1:10000/${DEV_ACCOUNT}`,
    };
  }
  const cs: ConnectionString = {};
  if (out.AccountName) cs.AccountName = out.AccountName;
  if (out.AccountKey) cs.AccountKey = out.AccountKey;
  if (out.SharedAccessSignature) cs.SharedAccessSignature = out.SharedAccessSignature;
  if (out.BlobEndpoint) cs.BlobEndpoint = out.BlobEndpoint;
  else if (cs.AccountName) {
    const protocol = out.DefaultEndpointsProtocol ?? "https";
    const suffix = out.EndpointSuffix ?? "core.windows.net";
    cs.BlobEndpoint = `${protocol}://${cs.AccountName}.blob.${suffix}`;
  }
  return cs;
}
