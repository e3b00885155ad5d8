import { StorageConfigurationError } from "../errors.js";

/** The parts of an `abfs://` / `abfss://` URI. */
export interface AbfsUri {
  readonly scheme: string;
  readonly container: string;
  /** The account, when the host names one (`<account>.dfs.core.windows.net`, `<account>.blob...`). */
  readonly account: string | undefined;
  /** The host as written, or `undefined` for `abfs://container/key`. */
  readonly host: string | undefined;
  /** The key inside the container (no leading `/`). */
  readonly key: string;
}

/**
 * Parses Flyte's Azure URIs: `abfs[s]://container@account.dfs.core.windows.net/path/to/key`,
 * and the short `abfs[s]://container/path` whose account comes from options or environment.
 * Keys are kept verbatim, except for `%`-escapes, which are decoded as in any URL path.
 */
export function parseAbfsUri(uri: string): AbfsUri {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(?:\/([^?#]*))?$/i.exec(uri);
  if (!match)
    throw new StorageConfigurationError(
      uri,
      "not an abfs:// URI (abfs://container@account.dfs.core.windows.net/key)",
    );
  const scheme = (match[1] ?? "").toLowerCase();
  const authority = match[2] ?? "";
  let key: string;
  try {
    key = decodeURIComponent(match[3] ?? "");
  } catch (cause) {
    throw new StorageConfigurationError(uri, "the path has a malformed %-escape", { cause });
  }
  const at = authority.indexOf("@");
  const container = at >= 0 ? authority.slice(0, at) : authority;
  const host = at >= 0 ? authority.slice(at + 1) : undefined;
  checkContainer(container, uri);
  if (host !== undefined && host === "")
    throw new StorageConfigurationError(uri, "the host after '@' is empty");
  const account = host === undefined ? undefined : accountOfHost(host);
  return { scheme, container, account, host, key };
}

/** The domains of Azure's clouds (public, China, US government). */
const CLOUD_SUFFIX = String.raw`\.core\.(?:windows\.net|chinacloudapi\.cn|usgovcloudapi\.net)`;
const ACCOUNT_HOST = new RegExp(
  String.raw`^([a-z0-9]{3,24})\.(?:dfs|blob)` + CLOUD_SUFFIX + "$",
  "i",
);
const CLOUD_HOST = new RegExp(CLOUD_SUFFIX + "$", "i");

/** `myacct` for `myacct.dfs.core.windows.net` or `myacct.blob.core.windows.net`; undefined for other hosts. */
export function accountOfHost(host: string): string | undefined {
  return ACCOUNT_HOST.exec(host)?.[1]?.toLowerCase();
}

/** Whether `host` is one of Azure's own (not Azurite or another emulator): its naming rules apply. */
export function isAzureCloudHost(host: string): boolean {
  return CLOUD_HOST.test(host);
}

/** Azure's container rules: 3-63 of lowercase letters, digits and single hyphens, starting with a letter or digit. */
export function checkContainer(container: string, uri: string): void {
  if (
    !/^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$/.test(container) &&
    container !== "$root"
  ) {
    throw new StorageConfigurationError(
      uri,
      `Azure container name ${JSON.stringify(container)} is not valid (3-63 lowercase letters, digits and single hyphens)`,
    );
  }
}

/** Azure's storage account rules: 3-24 lowercase letters and digits. */
export function checkAzureAccountName(account: string, uri: string): void {
  if (!/^[a-z0-9]{3,24}$/.test(account)) {
    throw new StorageConfigurationError(
      uri,
      `Azure storage account name ${JSON.stringify(account)} is not valid (3-24 lowercase letters and digits)`,
    );
  }
}
