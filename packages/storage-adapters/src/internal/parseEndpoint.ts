import { StorageConfigurationError } from "../errors.js";

/**
 * Parses a cloud endpoint (`http(s)://host[:port][/path]`), refusing anything else with a
 * `StorageConfigurationError`. Credentials (and a query, which may hold a SAS token) in the URL
 * are refused too: they would end up in logs and error messages; they belong in the options.
 */
export function parseEndpoint(endpoint: string, uri: string, service: "S3" | "Azure"): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (cause) {
    throw new StorageConfigurationError(
      uri,
      `${service} endpoint ${JSON.stringify(endpoint)} is not a URL`,
      {
        cause,
      },
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new StorageConfigurationError(
      uri,
      `${service} endpoint must be http(s), got ${url.protocol}`,
    );
  }
  if (url.username !== "" || url.password !== "" || url.search !== "") {
    throw new StorageConfigurationError(
      uri,
      `the ${service} endpoint must not carry credentials or a query: a URL ends up in logs and ` +
        "messages, so it must not embed credentials; give them in the options",
    );
  }
  return url;
}
