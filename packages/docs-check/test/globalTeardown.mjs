// jest globalTeardown: stop the registry and remove the temporary folders (see globalSetup.mjs).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const privateTmpdirTeardown = require("../../../tooling/jest/privateTmpdirTeardown.cjs");

export default async function globalTeardown() {
  try {
    await globalThis.__flyteDocsCheckStop?.();
  } finally {
    await privateTmpdirTeardown();
  }
}
