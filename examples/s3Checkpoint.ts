/**
 * The checkpoint loop with its checkpoints on S3 (any S3-compatible server: AWS, radosgw, MinIO).
 * It reads the standard AWS variables — AWS_ENDPOINT_URL_S3 (or S3_ENDPOINT), AWS_REGION,
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY — and FLYTE_EXAMPLE_BUCKET (default flyte-examples,
 * created when missing). Without an endpoint or credentials it says what it needs and exits 0.
 *
 *   node --import tsx --conditions=@flyte/source examples/s3Checkpoint.ts
 */
import { CreateBucketCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { init, withRunContext } from "@flyte/sdk";
import type { RunEvent } from "@flyte/sdk";
import { useCheckpoint } from "./checkpointLoop.js";

const endpoint =
  process.env["AWS_ENDPOINT_URL_S3"] ??
  process.env["AWS_ENDPOINT_URL"] ??
  process.env["S3_ENDPOINT"];
const hasCredentials =
  process.env["AWS_ACCESS_KEY_ID"] !== undefined &&
  process.env["AWS_SECRET_ACCESS_KEY"] !== undefined;

if (endpoint === undefined || !hasCredentials) {
  console.log(
    [
      "s3Checkpoint: no S3 server configured, so there is nothing to run against.",
      "It needs AWS_ENDPOINT_URL_S3 (or S3_ENDPOINT), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
      "(AWS_REGION defaults to us-east-1). To try it on a local radosgw:",
      "",
      "  FLYTE_RGW_DIR=/tmp/rgw bash tooling/servers/rgw.sh up",
      "  set -a; . /tmp/rgw/env; set +a",
      "  node --import tsx --conditions=@flyte/source examples/s3Checkpoint.ts",
    ].join("\n"),
  );
  process.exit(0);
}

// The S3 adapter reads AWS_ENDPOINT_URL_S3; S3_ENDPOINT is this project's test variable.
process.env["AWS_ENDPOINT_URL_S3"] ??= endpoint;
process.env["AWS_REGION"] ??= "us-east-1";
const bucket = process.env["FLYTE_EXAMPLE_BUCKET"] ?? "flyte-examples";
await ensureBucket(bucket);

init({ rawDataPath: `s3://${bucket}/runs` });
const runName = `s3-${Date.now().toString(36)}`;
const events: RunEvent[] = [];
const result = await withRunContext({ name: runName, onEvent: (e) => events.push(e) }).run(
  useCheckpoint,
  8,
  3,
);

console.log(`s3Checkpoint: run ${runName} finished ${result} iterations on ${endpoint}`);
for (const e of events) {
  if (e.type === "attempt-start") {
    console.log(
      `  attempt ${e.attempt}: writes ${e.checkpointPath}${e.prevCheckpointPath ? `, resumes from ${e.prevCheckpointPath}` : ""}`,
    );
  }
  if (e.type === "attempt-failure")
    console.log(`  attempt ${e.attempt} failed: ${String((e.error as Error).message)}`);
}
console.log(
  `  inspect one with: flyte checkpoint inspect s3://${bucket}/runs/${runName}/a0/1/_flytecheckpoints`,
);

async function ensureBucket(name: string): Promise<void> {
  const s3 = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: process.env["AWS_REGION"] ?? "us-east-1",
  });
  try {
    await s3.send(new HeadBucketCommand({ Bucket: name }));
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
  } finally {
    s3.destroy();
  }
}
