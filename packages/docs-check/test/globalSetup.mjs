// jest globalSetup: pack, serve and install yarn once for every test file. It is plain ESM that
// loads the TypeScript harness through tsx, because jest does not apply its transform's module
// mapping (".js" -> ".ts") to globalSetup files.
import { tsImport } from "tsx/esm/api";

export default async function globalSetup() {
  const { publishHarness, startHarness } = await tsImport("../src/harness.ts", import.meta.url);
  const { harness, stop } = await startHarness();
  publishHarness(harness);
  globalThis.__flyteDocsCheckStop = stop;
}
