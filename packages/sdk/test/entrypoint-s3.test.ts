/**
 * `flyte-task` with every path on S3 (radosgw): the checkpoint, the previous checkpoint, raw data,
 * inputs and outputs — attempt 0 fails mid-loop, attempt 1 resumes from what attempt 0 saved on S3.
 * Skips loudly without a server; fails under CI=true (s3TestEnv decides).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import {
  decodeError,
  decodeOutputs,
  encodeInputs,
  flyteTypes,
  fromLiteral,
  toLiteral,
} from "@flyte/type-engine";
import { createS3Bucket, deleteS3Bucket, rawS3Client, s3TestEnv } from "@flyte/test-utils";
import type { S3TestOptions } from "@flyte/test-utils";
import { ExitCode } from "../src/entrypoint/exitCodes.js";
import { flyte, flyteTask, SDK_DIR, TASKS, tempDir } from "./fixtures-cli/runBin.js";
import { checker, VECTORS } from "./support/interop.js";

const s3 = s3TestEnv();
const describeS3 = s3.available ? describe : describe.skip;

describeS3("flyte-task on S3 (radosgw)", () => {
  const options = (s3 as { options: S3TestOptions }).options;
  let bucket: string;
  const awsEnv = (): Record<string, string> => ({
    AWS_ENDPOINT_URL_S3: options.endpoint,
    AWS_ACCESS_KEY_ID: options.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: options.credentials.secretAccessKey,
    AWS_REGION: options.region,
  });

  beforeAll(async () => {
    bucket = await createS3Bucket(options, "flyte-task");
  });
  afterAll(async () => {
    if (bucket !== undefined) await deleteS3Bucket(options, bucket);
  });

  async function bytes(key: string): Promise<Uint8Array> {
    const client = rawS3Client(options);
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return await out.Body!.transformToByteArray();
    } finally {
      client.destroy();
    }
  }
  async function text(key: string): Promise<string> {
    return new TextDecoder().decode(await bytes(key));
  }
  async function upload(key: string, body: Uint8Array): Promise<void> {
    const client = rawS3Client(options);
    try {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    } finally {
      client.destroy();
    }
  }

  it("runs a declared task on the Python SDK's ints.pb from S3 and writes an outputs.pb the checker reads", async () => {
    const root = `s3://${bucket}/wire`;
    await upload("wire/a0/inputs.pb", readFileSync(join(VECTORS, "inputs", "ints.pb")));
    const r = await flyteTask(
      [
        "--inputs",
        `${root}/a0/inputs.pb`,
        "--outputs-path",
        `${root}/a0/out`,
        "--version",
        "v1",
        "--raw-data-path",
        `${root}/raw`,
        "--run-name",
        "wire",
        "--name",
        "a0",
        join(SDK_DIR, "test", "fixtures-cli", "wireTasks.ts"),
        "addOne",
      ],
      {
        env: {
          ...awsEnv(),
          FLYTE_INTERNAL_EXECUTION_PROJECT: "p",
          FLYTE_INTERNAL_EXECUTION_DOMAIN: "d",
          _U_ORG_NAME: "o",
          _U_RUN_BASE: root,
        },
      },
    );
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: ExitCode.OK });
    const local = join(tempDir("s3-wire"), "outputs.pb");
    writeFileSync(local, await bytes("wire/a0/out/outputs.pb"));
    const check = checker(
      "outputs",
      local,
      "--expect",
      JSON.stringify([["o0", { int: 1099511627772 }]]),
    );
    expect(check.out).toContain("RESULT: MATCH");
  });

  it("runs attempt 0, fails, and attempt 1 resumes from attempt 0's checkpoint on S3", async () => {
    const root = `s3://${bucket}/ns/run-s3`;
    // resumeLoop(n = 6, failAt = 3) declares no types: its inputs travel by the untyped rule.
    await upload(
      "ns/run-s3/a0/inputs.pb",
      encodeInputs(
        [
          { name: "n", literal: toLiteral(6, flyteTypes.any, "n") },
          { name: "failAt", literal: toLiteral(3, flyteTypes.any, "failAt") },
        ],
        { team: "ml" },
      ),
    );
    const env = {
      ...awsEnv(),
      RUN_NAME: "run-s3",
      ACTION_NAME: "a0",
      FLYTE_INTERNAL_EXECUTION_PROJECT: "p",
      FLYTE_INTERNAL_EXECUTION_DOMAIN: "d",
      _U_ORG_NAME: "o",
      _U_RUN_BASE: root,
    };
    const flags = (attempt: number, prev: string): string[] => [
      "--raw-data-path",
      `${root}/raw/${attempt}`,
      "--checkpoint-path",
      `${root}/a0/${attempt + 1}/_flytecheckpoints`, // Flyte's attempt folders are 1-based
      "--prev-checkpoint",
      prev,
      "--inputs",
      `${root}/a0/inputs.pb`,
      "--outputs-path",
      `${root}/a0/out${attempt}`,
      TASKS,
      "resumeLoop",
    ];

    const first = await flyteTask(flags(0, "{{.prevCheckpointPrefix}}"), {
      env: { ...env, FLYTE_ATTEMPT_NUMBER: "0" },
    });
    // A task failure: error.pb is written, and the pod exits 0 (Flyte's contract).
    expect({ code: first.code, stderr: first.stderr }).toMatchObject({ code: ExitCode.OK });
    expect(await text("ns/run-s3/a0/1/_flytecheckpoints")).toBe("3");
    expect(decodeError(await bytes("ns/run-s3/a0/out0/error.pb"))).toMatchObject({
      code: "Error",
      message: "injected failure at 3",
      kind: "RECOVERABLE",
      origin: "USER",
    });

    const second = await flyteTask(flags(1, `${root}/a0/1/_flytecheckpoints`), {
      env: { ...env, FLYTE_ATTEMPT_NUMBER: "1" },
    });
    expect({ code: second.code, stderr: second.stderr }).toMatchObject({ code: ExitCode.OK });
    expect(second.json()).toEqual({ result: { start: 3, end: 6, attempt: 1 } });
    const outputs = decodeOutputs(await bytes("ns/run-s3/a0/out1/outputs.pb"));
    expect(fromLiteral(outputs[0]!.literal)).toEqual({ start: 3, end: 6, attempt: 1 });
    expect(await text("ns/run-s3/a0/2/_flytecheckpoints")).toBe("6");

    // And the CLI can say what that checkpoint holds, on S3.
    const inspect = await flyte(
      ["checkpoint", "inspect", "--json", `${root}/a0/2/_flytecheckpoints`],
      { env: awsEnv() },
    );
    expect(inspect.code).toBe(ExitCode.OK);
    expect(inspect.json()).toMatchObject({
      exists: true,
      format: "bytes",
      size: 1,
      manifestStatus: "current",
      preview: "6",
    });
  });

  it("refuses a bucket that does not exist as an error, not as 'no checkpoint'", async () => {
    const r = await flyteTask(
      [
        "--checkpoint-path",
        "s3://no-such-bucket-flyte-x/ck",
        "--prev-checkpoint",
        "s3://no-such-bucket-flyte-x/prev",
        "--args",
        "[2,9]",
        TASKS,
        "resumeLoop",
      ],
      {
        env: {
          ...awsEnv(),
          RUN_NAME: "r",
          ACTION_NAME: "a0",
          FLYTE_INTERNAL_EXECUTION_PROJECT: "p",
          FLYTE_INTERNAL_EXECUTION_DOMAIN: "d",
          _U_ORG_NAME: "o",
          _U_RUN_BASE: `s3://${bucket}/meta`,
        },
      },
    );
    expect(r.code).toBe(ExitCode.TASK_FAILED);
    expect(r.stderr).toMatch(/Checkpoint\w*Error/);
  });
});
