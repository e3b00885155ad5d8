/**
 * The examples in /examples, run as a user runs them: `pnpm demo`'s script, the two seed examples
 * through `flyte run`, and the S3 example (against radosgw when it is there; otherwise it must
 * explain itself and exit 0).
 */
import { join } from "node:path";
import { deleteS3Bucket, s3TestEnv } from "@flyte/test-utils";
import type { S3TestOptions } from "@flyte/test-utils";
import { ExitCode } from "../src/entrypoint/exitCodes.js";
import { REPO_DIR, flyteMany, lastJsonLine, runNode, tempDir } from "./fixtures-cli/runBin.js";

const EXAMPLES = join(REPO_DIR, "examples");

describe("examples", () => {
  it("pnpm demo runs both seed examples on the default storage and tells what happened", async () => {
    const home = tempDir("demo-home");
    const r = await runNode(join(EXAMPLES, "demo.ts"), [], {
      cwd: REPO_DIR,
      env: { FLYTE_HOME: home },
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toContain(`Storage: the local disk under ${join(home, "raw_data")}`);
    expect(r.stdout).toMatch(
      /a0 useCheckpoint attempt 0 ✘ injected failure at iteration 6 \(attempt 0\) after 6 saves → retry/,
    );
    expect(r.stdout).toMatch(
      /a0 useCheckpoint attempt 1 ↺ loaded the checkpoint …\/demo-loop-\w+\/a0\/0\/_flytecheckpoints/,
    );
    expect(r.stdout).toContain("Result: 10 iterations in 2 attempts.");
    expect(r.stdout).toContain(
      "Attempt 0 did iterations 0–5; attempt 1 loaded index 6 and did the other 4: nothing was done twice.",
    );
    expect(r.stdout).toContain("Result: 6 = (1+0) + (1+1) + (1+2), from 3 child actions");
  });

  it("the README's tour runs as printed and gives its answers", async () => {
    const r = await runNode(join(EXAMPLES, "tour.ts"), [], {
      cwd: REPO_DIR,
      env: { FLYTE_HOME: tempDir("tour-home") },
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout.trim().split("\n")).toEqual(["10", "6"]);
  });

  it("the seed examples run through flyte run and give the seed's answers", async () => {
    const raw = tempDir("examples-raw");
    const [loop, sum, sum5] = await flyteMany(
      [
        [
          "run",
          "--raw-data-path",
          raw,
          "--run-name",
          "loop",
          join(EXAMPLES, "checkpointLoop.ts"),
          "useCheckpoint",
          "--n-iterations",
          "8",
          "--fail-at",
          "5",
          "--json",
        ],
        ["run", join(EXAMPLES, "customContextSum.ts"), "main", "--x", "1", "--json"],
        ["run", join(EXAMPLES, "customContextSum.ts"), "main", "5"],
      ],
      { cwd: EXAMPLES },
    );
    expect(loop!.code).toBe(ExitCode.OK);
    expect(lastJsonLine(loop!.out)).toMatchObject({ ok: true, run: "loop", result: 8 });
    expect(loop!.err).toContain(
      "attempt 0 (1/4) failed: Error: injected failure at iteration 5 (attempt 0) (5 checkpoint saves) → retrying",
    );
    expect(loop!.err).toContain(
      `attempt 1 (2/4) ↺ resumed from checkpoint ${join(raw, "loop", "a0", "0", "_flytecheckpoints")}`,
    );
    expect(loop!.err).toContain("attempt 1 (2/4) ok (3 checkpoint saves)");
    expect(lastJsonLine(sum!.out)).toMatchObject({ ok: true, result: 6 });
    expect(sum!.err.match(/downstreamTask attempt 0 ok/g)).toHaveLength(3);
    expect(sum5!.out.trim()).toBe("18");
  });

  it("the S3 example runs against radosgw, or explains what it needs and exits 0", async () => {
    const s3 = s3TestEnv();
    const script = join(EXAMPLES, "s3Checkpoint.ts");
    const bare = {
      AWS_ENDPOINT_URL_S3: undefined,
      AWS_ENDPOINT_URL: undefined,
      S3_ENDPOINT: undefined,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
    };
    const without = await runNode(script, [], { cwd: EXAMPLES, env: bare });
    expect(without.code).toBe(0);
    expect(without.stdout).toContain("no S3 server configured");
    if (!s3.available) return; // s3TestEnv warned loudly (and throws under CI=true)
    const o: S3TestOptions = s3.options;
    const bucket = `flyte-examples-${Date.now().toString(36)}`;
    const withS3 = await runNode(script, [], {
      cwd: EXAMPLES,
      env: {
        ...bare,
        S3_ENDPOINT: o.endpoint,
        AWS_ACCESS_KEY_ID: o.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: o.credentials.secretAccessKey,
        AWS_REGION: o.region,
        FLYTE_EXAMPLE_BUCKET: bucket,
      },
    });
    await deleteS3Bucket(o, bucket).catch(() => undefined); // radosgw keeps objects in memory
    expect({ code: withS3.code, stderr: withS3.code === 0 ? "" : withS3.stderr }).toEqual({
      code: 0,
      stderr: "",
    });
    expect(withS3.stdout).toMatch(/finished 8 iterations on http:\/\/127\.0\.0\.1:\d+/);
    expect(withS3.stdout).toMatch(
      /attempt 1: writes s3:\/\/flyte-examples-\w+\/runs\/s3-\w+\/a0\/1\/_flytecheckpoints, resumes from s3:\/\/.*\/a0\/0\/_flytecheckpoints/,
    );
  });
});
