/** Options of the Azure Blob adapter. Every field may also come from an environment variable. */
export interface AzureStorageOptions {
  /** The storage account. Default: from the URI (`container@ACCOUNT.dfs.core.windows.net`), else `AZURE_STORAGE_ACCOUNT_NAME` / `AZURE_STORAGE_ACCOUNT`. */
  readonly accountName?: string;
  /** Shared key. Default: `AZURE_STORAGE_ACCOUNT_KEY` / `AZURE_STORAGE_KEY`. */
  readonly accountKey?: string;
  /** A SAS token (with or without the leading `?`). Default: `AZURE_STORAGE_SAS_TOKEN`. */
  readonly sasToken?: string;
  /** A full connection string (Azurite's, or a real account's). Default: `AZURE_STORAGE_CONNECTION_STRING`. */
  readonly connectionString?: string;
  /**
   * The blob service URL of the account, e.g. Azurite's `http://127.0.0.1:10000/devstoreaccount1`.
   * Default: `AZURE_STORAGE_ENDPOINT`, else the connection string's `BlobEndpoint`, else
   * `https://<account>.blob.core.windows.net` (Flyte's `dfs` host names the same account).
   */
  readonly endpoint?: string;
  /** Block size of staged uploads, in bytes. Default 8 MiB. */
  readonly blockSize?: number;
  /** Blocks uploaded at once. Default 4. */
  readonly concurrency?: number;
  /** Tries per request, counting the first, for transient faults. Default 5. */
  readonly maxAttempts?: number;
  /** Where the variables are read from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Where an Azure adapter points, as the registry passes it. */
export interface AzureLocation {
  /** `abfs`, `abfss` (or an alias registered for them). */
  readonly scheme: string;
  /** The container, or `container@account.dfs.core.windows.net` as Flyte writes the authority. */
  readonly bucket: string;
  /** The URI the adapter was resolved from; used in messages and to find the account. */
  readonly uri: string;
}
