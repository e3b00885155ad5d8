/** Options of the S3 adapter. Every field may also come from the usual AWS variables. */
export interface S3StorageOptions {
  /**
   * A custom endpoint (radosgw, MinIO, ...). Default: `AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`.
   * With a custom endpoint, path-style URLs and "when required" checksums are used, because
   * S3-compatible servers rarely support virtual hosts or the SDK's default streaming checksums.
   */
  readonly endpoint?: string;
  /** Default: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then `us-east-1` when an endpoint is set. */
  readonly region?: string;
  /** Default: `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`, else the SDK's provider chain. */
  readonly credentials?: S3Credentials;
  /** Default: `true` whenever a custom endpoint is set, else `false`. */
  readonly forcePathStyle?: boolean;
  /**
   * Whether the server enforces `If-None-Match`/`If-Match` on PutObject (AWS and radosgw do).
   * Set `false` for servers that silently ignore them (s3rver): conditional modes then throw
   * `UnsupportedError` instead of overwriting. Default `true`.
   */
  readonly conditionalWrites?: boolean;
  /** Multipart part size in bytes, at least 5 MiB. Default 8 MiB. */
  readonly partSize?: number;
  /** Parts uploaded at once by a multipart upload. Default 4. */
  readonly queueSize?: number;
  /** Attempts per request, counting the first, for transient faults (5xx, throttling, network). Default 5. */
  readonly maxAttempts?: number;
  /** Where `AWS_*` variables are read from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Static credentials for the S3 adapter. */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Where an S3 adapter points: the registry passes the scheme, the bucket and the URI it parsed. */
export interface S3Location {
  /** `s3` (or an alias registered for it). */
  readonly scheme: string;
  readonly bucket: string;
  /** The URI the adapter was resolved from; used in messages only. */
  readonly uri: string;
}
