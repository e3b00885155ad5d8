// Shared ESLint flat config. Each package's eslint.config.mjs spreads it.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * @param {string} dir the package folder (for typed linting)
 * @param {{ allowExportAll?: boolean }} [options]
 */
export function config(dir, options = {}) {
  return tseslint.config(
    {
      ignores: [
        "dist/**",
        "coverage/**",
        "**/*.cjs",
        "**/*.mjs",
        "tsup.config.ts",
        "jest.config.*",
      ],
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
      languageOptions: {
        globals: { ...globals.node },
        parserOptions: { projectService: true, tsconfigRootDir: dir },
      },
      rules: {
        "@typescript-eslint/consistent-type-imports": "error",
        "@typescript-eslint/no-floating-promises": "error",
        "@typescript-eslint/no-unused-vars": [
          "error",
          { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
        ],
        // A package reaches a sibling only through its public entry, never its sources.
        "no-restricted-imports": [
          "error",
          {
            patterns: [
              {
                group: ["@flyte/*/src", "@flyte/*/src/*"],
                message: "Import a sibling through its package name, not its src/.",
              },
              {
                group: ["../../*/src", "../../*/src/*", "../../../packages/*"],
                message: "Import a sibling through its package name.",
              },
            ],
          },
        ],
        "no-restricted-syntax": [
          "error",
          ...(options.allowExportAll
            ? []
            : [{ selector: "ExportAllDeclaration", message: "List exports by name." }]),
          {
            // The build turns built-in imports into process.getBuiltinModule lookups of the
            // names imported (tooling/tsup/builtinModules.ts); a namespace would read them all.
            selector: "ImportNamespaceSpecifier[parent.source.value=/^node:/]",
            message: "Import a Node built-in by name or as a default import, not as a namespace.",
          },
        ],
      },
    },
    {
      files: ["test/**/*.ts", "bench/**/*.ts"],
      rules: {
        // Tests and benchmarks run from the sources, never from the build.
        "no-restricted-syntax": options.allowExportAll
          ? "off"
          : ["error", { selector: "ExportAllDeclaration", message: "List exports by name." }],
        "@typescript-eslint/no-non-null-assertion": "off",
        "@typescript-eslint/no-explicit-any": "off",
      },
    },
    prettier,
  );
}
