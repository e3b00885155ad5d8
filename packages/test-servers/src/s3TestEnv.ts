import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isCI, warnLoudly } from "./loud.js";

/** Options for `createS3Storage` that point at the test server. */
export interface S3TestOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly forcePathStyle: true;
}

/** The test S3 server, or why there is none. */
export type S3TestEnv =
  | { readonly available: true; readonly options: S3TestOptions; readonly source: string }
  | { readonly available: false; readonly reason: string };

/**
 * Finds the S3 server the tests run against (radosgw from `tooling/servers/with-servers.sh`):
 * `S3_ENDPOINT` + `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_REGION`) in the environment,
 * else the env file named by `FLYTE_RGW_ENV_FILE`, else the one `tooling/servers/rgw.sh up`
 * writes by default (`$TMPDIR/flyte-rgw/env`). With `CI=true` a missing server throws, so the
 * suite fails; otherwise this warns loudly and returns the reason to skip with.
 */
export function s3TestEnv(): S3TestEnv {
  const found =
    fromVars(process.env, "environment") ??
    fromFile(process.env.FLYTE_RGW_ENV_FILE) ??
    fromFile(defaultEnvFile());
  if (found) return found;
  const reason =
    "no S3 server: run the tests through `pnpm test` (tooling/servers/with-servers.sh starts radosgw), " +
    "or `bash tooling/servers/rgw.sh up` once, or set S3_ENDPOINT/AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY";
  if (isCI()) throw new Error(`CI=true and ${reason}`);
  warnLoudly(["SKIPPING S3 SUITE", reason]);
  return { available: false, reason };
}

function defaultEnvFile(): string {
  return join(
    process.env.FLYTE_RGW_DIR ?? join(process.env.TMPDIR ?? tmpdir(), "flyte-rgw"),
    "env",
  );
}

function fromFile(path: string | undefined): S3TestEnv | undefined {
  if (!path || !existsSync(path)) return undefined;
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) vars[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return fromVars(vars, path);
}

function fromVars(
  vars: Readonly<Record<string, string | undefined>>,
  source: string,
): S3TestEnv | undefined {
  const endpoint = vars.S3_ENDPOINT;
  const accessKeyId = vars.AWS_ACCESS_KEY_ID;
  const secretAccessKey = vars.AWS_SECRET_ACCESS_KEY;
  if (!endpoint || !accessKeyId || !secretAccessKey) return undefined;
  return {
    available: true,
    source,
    options: {
      endpoint,
      region: vars.AWS_REGION || "us-east-1",
      credentials: { accessKeyId, secretAccessKey },
      forcePathStyle: true,
    },
  };
}

/**
 * The standard AWS variables that point the S3 adapter at the test server: what a user's
 * environment would hold, for tests of code that resolves `s3://` URIs with no options.
 */
export function s3EnvironmentVariables(options: S3TestOptions): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_S3: options.endpoint,
    AWS_ACCESS_KEY_ID: options.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: options.credentials.secretAccessKey,
    AWS_REGION: options.region,
  };
}
