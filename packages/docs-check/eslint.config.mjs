import { config } from "../../tooling/eslint/base.mjs";

export default config(import.meta.dirname);
