import { config } from "../../tooling/eslint/base.mjs";

// .idl-types/: declarations generated for the d.ts build (scripts/idl-types.mjs).
export default [{ ignores: [".idl-types/**"] }, ...config(import.meta.dirname)];
