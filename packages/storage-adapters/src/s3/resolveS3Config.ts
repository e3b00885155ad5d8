import { StorageConfigurationError } from "../errors.js";
import { parseEndpoint } from "../internal/parseEndpoint.js";
import type { S3Credentials, S3StorageOptions } from "./S3StorageOptions.js";

/** The S3 settings after options and environment are merged and checked. */
export interface ResolvedS3Config {
  readonly endpoint: string | undefined;
  readonly region: string | undefined;
  readonly credentials: S3Credentials | undefined;
  readonly forcePathStyle: boolean;
  readonly conditionalWrites: boolean;
  readonly partSize: number;
  readonly queueSize: number;
  readonly maxAttempts: number;
}

const MiB = 1024 * 1024;
/** S3's smallest allowed part (except the last). */
export const MIN_PART_SIZE = 5 * MiB;

/**
 * Merges `options` over the AWS variables in `env` and checks the result, so a bad option fails
 * when the adapter is created rather than on the first request. `uri` names the storage in errors.
 */
export function resolveS3Config(options: S3StorageOptions, uri: string): ResolvedS3Config {
  const env = options.env ?? process.env;
  const pick = (...names: string[]): string | undefined => {
    for (const name of names) {
      const value = env[name];
      if (value !== undefined && value !== "") return value;
    }
    return undefined;
  };
  const endpoint = options.endpoint ?? pick("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL");
  if (endpoint !== undefined) {
    parseEndpoint(endpoint, uri, "S3");
  }
  const region =
    options.region ??
    pick("AWS_REGION", "AWS_DEFAULT_REGION") ??
    (endpoint ? "us-east-1" : undefined);
  let credentials = options.credentials;
  if (credentials === undefined) {
    const accessKeyId = pick("AWS_ACCESS_KEY_ID");
    const secretAccessKey = pick("AWS_SECRET_ACCESS_KEY");
    const sessionToken = pick("AWS_SESSION_TOKEN");
    if (accessKeyId !== undefined && secretAccessKey !== undefined) {
      credentials =
        sessionToken === undefined
          ? { accessKeyId, secretAccessKey }
          : { accessKeyId, secretAccessKey, sessionToken };
    } else if (accessKeyId !== undefined || secretAccessKey !== undefined) {
      throw new StorageConfigurationError(
        uri,
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together",
      );
    }
  } else if (
    typeof credentials.accessKeyId !== "string" ||
    typeof credentials.secretAccessKey !== "string"
  ) {
    throw new StorageConfigurationError(
      uri,
      "credentials need accessKeyId and secretAccessKey strings",
    );
  }
  const partSize = options.partSize ?? 8 * MiB;
  if (!Number.isSafeInteger(partSize) || partSize < MIN_PART_SIZE) {
    throw new StorageConfigurationError(
      uri,
      `partSize must be an integer of at least ${MIN_PART_SIZE} bytes (5 MiB)`,
    );
  }
  const queueSize = options.queueSize ?? 4;
  if (!Number.isSafeInteger(queueSize) || queueSize < 1) {
    throw new StorageConfigurationError(uri, "queueSize must be a positive integer");
  }
  const maxAttempts = options.maxAttempts ?? 5;
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) {
    throw new StorageConfigurationError(uri, "maxAttempts must be a positive integer");
  }
  return {
    endpoint,
    region,
    credentials,
    forcePathStyle: options.forcePathStyle ?? endpoint !== undefined,
    conditionalWrites: options.conditionalWrites ?? true,
    partSize,
    queueSize,
    maxAttempts,
  };
}
