// jest globalSetup: pack, serve and install yarn once for every test file. It is plain ESM that
// loads the TypeScript harness through tsx, because jest does not apply its transform's module
// mapping (".js" -> ".ts") to globalSetup files. The shared private TMPDIR comes first.
import { createRequire } from "node:module";
import { tsImport } from "tsx/esm/api";

const require = createRequire(import.meta.url);
const privateTmpdirSetup = require("../../../tooling/jest/privateTmpdirSetup.cjs");

export default async function globalSetup(globalConfig) {
  await privateTmpdirSetup(globalConfig);
  const { publishHarness, startHarness } = await tsImport("../src/harness.ts", import.meta.url);
  const { harness, stop } = await startHarness();
  publishHarness(harness);
  globalThis.__flyteDocsCheckStop = stop;
}
