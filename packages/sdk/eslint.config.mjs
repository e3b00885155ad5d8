import { config } from "../../tooling/eslint/base.mjs";

// index.ts re-exports every export of the sibling packages with `export *` (see src/index.ts).
export default config(import.meta.dirname, { allowExportAll: true });
