/**
 * Runs examples/typedTask.ts the way a Flyte 2 cluster runs a task container: writes the task's
 * `inputs.pb` (what a parent task, Python or TypeScript, writes for its child), starts
 * `flyte-task` with the flags the Python runtime takes, and reads back the `outputs.pb` it wrote —
 * the file the cluster hands to the next task.
 *
 *   pnpm -C examples like-flyte
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { decodeOutputs, encodeInputs, flyteTypes, fromLiteral, toLiteral } from "@flyte/sdk";

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "flyte-like-"));
try {
  // What the parent writes: the inputs, in declaration order, and the custom context.
  const inputs = encodeInputs(
    [
      { name: "x", literal: toLiteral(3, flyteTypes.integer, "x") },
      { name: "y", literal: toLiteral(4, flyteTypes.integer, "y") },
    ],
    { team: "ml" },
  );
  writeFileSync(join(dir, "inputs.pb"), inputs);

  // The container's command line, as a Flyte task template emits it (templates substituted).
  const args = [
    "--inputs",
    join(dir, "inputs.pb"),
    "--outputs-path",
    join(dir, "out"),
    "--version",
    "v1",
    "--raw-data-path",
    join(dir, "raw"),
    "--checkpoint-path",
    join(dir, "ck"),
    "--prev-checkpoint",
    '""',
    "--run-name",
    "r1abc",
    "--name",
    "a0",
    "--run-start-time",
    new Date().toISOString(),
    join(here, "typedTask.ts"),
    "addOne",
  ];
  const env = {
    ...process.env,
    FLYTE_INTERNAL_EXECUTION_PROJECT: "flytesnacks",
    FLYTE_INTERNAL_EXECUTION_DOMAIN: "development",
    _U_ORG_NAME: "acme",
    _U_RUN_BASE: join(dir, "run"),
  };
  const bin = join(here, "..", "packages", "sdk", "src", "cli", "flyteTask.ts");
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=@flyte/source", bin, ...args],
    { env, encoding: "utf8" },
  );
  process.stderr.write(r.stderr);
  if (r.status !== 0) throw new Error(`flyte-task exited ${String(r.status)}`);

  // What the cluster reads back: outputs.pb, outputs o0, o1, … as literals.
  const outputs = decodeOutputs(readFileSync(join(dir, "out", "outputs.pb")));
  for (const { name, literal } of outputs)
    console.log(`${name} = ${String(fromLiteral(literal, flyteTypes.integer))}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
