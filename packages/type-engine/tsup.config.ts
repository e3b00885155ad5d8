import { rmSync } from "node:fs";
import type { Plugin } from "esbuild";
import { defineConfig } from "tsup";
import type { Options } from "tsup";
import { builtinModules } from "../../tooling/tsup/builtinModules.js";
import { fromEntry } from "../../tooling/tsup/fromEntry.js";

/**
 * `src/lazy/*.ts` import their module eagerly in the sources (jest, tsx). In the build they
 * become loaders that require it on first call, so `import "@flyte/type-engine"` neither decodes
 * the flyteidl2 descriptors (tens of ms) nor parses msgpack. The ESM build loads `./proto.js`
 * through `require(esm)` (Node 20.19+, 22.12+): one module instance with anyone importing
 * `@flyte/type-engine/proto`. The CJS build requires `./proto.cjs`.
 */
const lazyModules: Plugin = {
  name: "lazy-modules",
  setup(build) {
    const cjs = build.initialOptions.format === "cjs";
    const loader = (fn: string, target: string) => `
import { createRequire } from "node:module";
let loaded;
export function ${fn}() {
  return (loaded ??= createRequire(${cjs ? "__filename" : "import.meta.url"})(${JSON.stringify(target)}));
}
`;
    build.onLoad({ filter: /[\\/]src[\\/]lazy[\\/]protoModule\.ts$/ }, () => ({
      contents: loader("loadProto", cjs ? "./proto.cjs" : "./proto.js"),
      loader: "js",
    }));
    const runtime = (fn: string, target: string) =>
      cjs
        ? `import { createRequire } from "node:module";\nexport async function ${fn}() { return createRequire(__filename)(${JSON.stringify(target)}); }\n`
        : `export function ${fn}() { return import(${JSON.stringify(target)}); }\n`;
    build.onLoad({ filter: /[\\/]src[\\/]lazy[\\/]runtimeModules\.ts$/ }, () => ({
      contents:
        runtime("loadStorageAdapters", "@flyte/storage-adapters") +
        runtime("loadContextCore", "@flyte/context-core").replace(/^import .*\n/, ""),
      loader: "js",
    }));
    build.onLoad({ filter: /[\\/]src[\\/]lazy[\\/]msgpackModule\.ts$/ }, () => ({
      contents: loader("loadMsgpack", "@msgpack/msgpack"),
      loader: "js",
    }));
    build.onLoad({ filter: /[\\/]src[\\/]lazy[\\/]codecsModule\.ts$/ }, () => ({
      contents: loader("loadCodecs", cjs ? "./codecs.cjs" : "./codecs.js"),
      loader: "js",
    }));
  },
};

// tsup builds the two configs below at the same time, so neither may `clean` (one would delete
// the other's output): dist/ is emptied once, here, when the config is loaded.
rmSync("dist", { recursive: true, force: true });

const common: Options = {
  // index: the light root entry; proto: the descriptors (public subpath, loaded lazily by index).
  // No code splitting: the two share only pure helpers, so a copy in each is harmless, and the
  // CJS build stays plain esbuild output.
  format: ["esm", "cjs"],
  splitting: false,
  // @flyteorg/flyteidl2 is a devDependency: its generated TypeScript is compiled into our dist,
  // types included.
  noExternal: [/^@flyteorg\/flyteidl2/],
  // Their declarations come from scripts/idl-types.mjs (run first by `pnpm build`).
  dts: {
    resolve: [/^@flyteorg\/flyteidl2/],
    compilerOptions: {
      baseUrl: ".",
      paths: { "@flyteorg/flyteidl2/*": ["./.idl-types/*"] },
    },
  },
  // No source maps: dist is unminified and reads like the sources; maps would double the install.
  sourcemap: false,
  target: "node20",
  // Built-ins keep `node:` so that builtinModules() sees them (tsup would strip it first).
  removeNodeProtocol: false,
};

export default defineConfig([
  {
    ...common,
    entry: { index: "src/index.ts", proto: "src/proto.ts" },
    esbuildPlugins: [builtinModules(), lazyModules],
  },
  {
    // The value codecs (src/codecs.ts), loaded by the first conversion (src/lazy/codecsModule.ts):
    // about half the package's code, not parsed by `import "@flyte/type-engine"`. Built apart,
    // so that the classes whose identity matters come from the root entry, not a copy.
    ...common,
    entry: { codecs: "src/codecs.ts" },
    dts: false,
    esbuildPlugins: [
      builtinModules(),
      lazyModules,
      fromEntry(/[\\/]src[\\/](errors|values[\\/](File|Dir|Duration))\.ts$/, {
        esm: "./index.js",
        cjs: "./index.cjs",
      }),
    ],
  },
]);
