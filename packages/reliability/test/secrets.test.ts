/**
 * Secrets: a failing S3 run (wrong bucket, wrong secret key, a closed endpoint) through the
 * adapter, the checkpoint, a task run and the `flyte checkpoint inspect` CLI must never print
 * or carry the secret key: not in error messages, stacks, causes, inspected error objects,
 * run events, console output, manifests, nor the CLI's stdout and stderr.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { inspect } from "node:util";
import { Checkpoint, manifestKey } from "@flyte/checkpoint";
import { TaskEnvironment, ctx, init, withRunContext } from "@flyte/sdk";
import type { RunEvent } from "@flyte/sdk";
import type { Storage } from "@flyte/storage-adapters";
import { createS3Storage } from "@flyte/storage-adapters/s3";
import { createS3Bucket, deleteS3Bucket, s3TestEnv } from "@flyte/test-utils";

const s3 = s3TestEnv();
const describeS3 = s3.available ? describe : describe.skip;
// Distinctive, and valid as a secret key (40 base64-ish characters).
const SECRET = `LeakCanary${randomBytes(15).toString("hex")}`;

/** Everything an error can show: message, stack, causes, and a deep inspection of the object. */
function everythingIn(value: unknown): string {
  const parts: string[] = [];
  let e: unknown = value;
  for (let i = 0; i < 10 && e; i++) {
    parts.push(String(e), (e as Error).stack ?? "", (e as Error).message ?? "");
    e = (e as { cause?: unknown }).cause;
  }
  parts.push(inspect(value, { depth: 12, showHidden: true, getters: false }));
  try {
    parts.push(JSON.stringify(value));
  } catch {
    // circular: the inspection above covers it
  }
  return parts.join("\n");
}

/** Captures console output and direct writes to stdout/stderr while `fn` runs. */
async function capturing<T>(fn: () => Promise<T>): Promise<{ result: T; printed: string }> {
  const printed: string[] = [];
  const spies = (["log", "info", "warn", "error", "debug"] as const).map((m) =>
    jest
      .spyOn(console, m)
      .mockImplementation(
        (...args: unknown[]) =>
          void printed.push(args.map((a) => inspect(a, { depth: 12 })).join(" ")),
      ),
  );
  const out = jest
    .spyOn(process.stdout, "write")
    .mockImplementation((chunk: string | Uint8Array) => (printed.push(String(chunk)), true));
  const err = jest
    .spyOn(process.stderr, "write")
    .mockImplementation((chunk: string | Uint8Array) => (printed.push(String(chunk)), true));
  try {
    return { result: await fn(), printed: printed.join("\n") };
  } finally {
    for (const s of [...spies, out, err]) s.mockRestore();
  }
}

function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string }> {
  const sdkDir = dirname(createRequire(__filename).resolve("@flyte/sdk/package.json"));
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=@flyte/source",
        join(sdkDir, "src", "cli", "flyte.ts"),
        ...args,
      ],
      {
        cwd: sdkDir,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
  });
}

describeS3("secrets never leak from a failing S3 run", () => {
  let bucket: string;
  let home: string;
  beforeAll(async () => {
    if (!s3.available) return;
    bucket = await createS3Bucket(s3.options, "secrets");
    home = mkdtempSync(join(tmpdir(), "flyte-secrets-home-"));
  });
  afterAll(async () => {
    init({});
    if (s3.available && bucket) await deleteS3Bucket(s3.options, bucket);
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const cases = (): Array<{ label: string; bucket: string; endpoint: string }> => {
    if (!s3.available) return [];
    return [
      { label: "wrong secret key", bucket, endpoint: s3.options.endpoint },
      {
        label: "wrong bucket",
        bucket: `no-such-${randomBytes(4).toString("hex")}`,
        endpoint: s3.options.endpoint,
      },
      { label: "closed endpoint", bucket, endpoint: "http://127.0.0.1:9" },
    ];
  };

  it("not through the adapter, the checkpoint or a task run (errors, events, console)", async () => {
    if (!s3.available) return;
    for (const c of cases()) {
      const storage: Storage = createS3Storage(
        { scheme: "s3", bucket: c.bucket, uri: `s3://${c.bucket}` },
        {
          ...s3.options,
          endpoint: c.endpoint,
          credentials: { accessKeyId: s3.options.credentials.accessKeyId, secretAccessKey: SECRET },
          maxAttempts: 2,
        },
      );
      const resolver = (uri: string) => ({ storage, key: uri.replace(/^s3:\/\/[^/]+\//, "") });
      const { printed, result: errors } = await capturing(async () => {
        const seen: unknown[] = [];
        for (const op of [
          () => storage.head("k") as Promise<unknown>,
          () => storage.get("k"),
          () => storage.put("k", "v"),
          async () => {
            for await (const _ of storage.list("")) void _;
          },
          () => storage.delete("k"),
        ]) {
          seen.push(
            await Promise.resolve()
              .then(op)
              .then(
                () => new Error(`${c.label}: the operation succeeded`),
                (e: unknown) => e,
              ),
          );
        }
        const cp = new Checkpoint(`s3://${c.bucket}/cp/next`, `s3://${c.bucket}/cp/prev`, {
          storage: resolver,
          onWarning: (m) => console.warn(m),
        });
        seen.push(
          await cp.load().then(
            () => new Error("load succeeded"),
            (e: unknown) => e,
          ),
        );
        seen.push(
          await cp.saveJson({ a: 1 }).then(
            () => new Error("save succeeded"),
            (e: unknown) => e,
          ),
        );
        cp.dispose();
        init({ storage: resolver, rawDataPath: `s3://${c.bucket}/runs` });
        const env = new TaskEnvironment({ name: `secrets-${c.label.replace(/\W+/g, "-")}` });
        const task = env.task({ retries: 1 }, async function usesCheckpoint() {
          return (await ctx()!.checkpoint!.loadJson<number>()) ?? 0;
        });
        const events: RunEvent[] = [];
        seen.push(
          await withRunContext({ onEvent: (e) => void events.push(e) })
            .run(task)
            .then(
              () => new Error("run succeeded"),
              (e: unknown) => e,
            ),
        );
        seen.push(events);
        return seen;
      });
      for (const e of errors) {
        if (e instanceof Error && / succeeded$/.test(e.message)) throw e;
        expect(everythingIn(e)).not.toContain(SECRET);
      }
      expect(printed).not.toContain(SECRET);
      await storage.close?.();
    }
  }, 120_000);

  it("not in manifests written with real credentials", async () => {
    if (!s3.available) return;
    const storage = createS3Storage({ scheme: "s3", bucket, uri: `s3://${bucket}` }, s3.options);
    const cp = new Checkpoint("ok/cp", undefined, { storage });
    await cp.saveJson({ fine: true });
    cp.dispose();
    const manifest = new TextDecoder().decode(await storage.get(manifestKey("ok/cp")));
    expect(manifest).not.toContain(s3.options.credentials.secretAccessKey);
    expect(manifest).not.toContain(s3.options.credentials.accessKeyId);
    await storage.close();
  });

  it("not in the output of `flyte checkpoint inspect`", async () => {
    if (!s3.available) return;
    const runs = await Promise.all(
      cases().flatMap((c) =>
        [[], ["--json"]].map((extra) =>
          runCli(["checkpoint", "inspect", ...extra, `s3://${c.bucket}/some/checkpoint`], {
            PATH: process.env.PATH,
            HOME: home,
            FLYTE_HOME: home,
            NO_COLOR: "1",
            AWS_ENDPOINT_URL_S3: c.endpoint,
            AWS_ACCESS_KEY_ID: s3.options.credentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: SECRET,
            AWS_REGION: s3.options.region,
            AWS_MAX_ATTEMPTS: "2",
          }).then((r) => ({ ...r, label: `${c.label} ${extra.join(" ")}` })),
        ),
      ),
    );
    for (const r of runs) {
      expect(r.code).not.toBe(0);
      expect(r.out.length).toBeGreaterThan(0);
      expect(r.out).not.toContain(SECRET);
    }
    console.log(
      `secrets: ${runs.length} CLI runs, e.g. ${runs[0]!.label}: ${runs[0]!.out.trim().split("\n")[0]}`,
    );
  }, 120_000);
});
