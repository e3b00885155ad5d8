import { rmSync } from "node:fs";
import { defineConfig } from "tsup";
import type { Options } from "tsup";
import { builtinModules } from "../../tooling/tsup/builtinModules.js";
import { nodeOutput } from "../../tooling/tsup/nodeOutput.js";
import { fromEntry } from "../../tooling/tsup/fromEntry.js";
import { lazyModules } from "../../tooling/tsup/lazyModules.js";
import type { LazyModule } from "../../tooling/tsup/lazyModules.js";

/**
 * What `import "@flyte/type-engine"` does not load until a call needs it (`src/lazy/*.ts`):
 * the flyteidl2 descriptors (decoding them costs tens of milliseconds), the value codecs (half
 * the package), msgpack, and the two sibling packages `File` and `Dir` use. The descriptors
 * are the public `/proto` entry, so the ESM loader's `require(esm)` (Node 20.19+, 22.12+) gives
 * the one module instance anyone importing `@flyte/type-engine/proto` gets.
 */
const hint = "keep @flyte/type-engine external to the bundle, installed with its dependencies";
const lazy: LazyModule[] = [
  {
    file: "/src/lazy/protoModule.ts",
    fn: "loadProto",
    esm: "./proto.js",
    cjs: "./proto.cjs",
  },
  {
    file: "/src/lazy/codecsModule.ts",
    fn: "loadCodecs",
    esm: "./codecs.js",
    cjs: "./codecs.cjs",
  },
  {
    file: "/src/lazy/msgpackModule.ts",
    fn: "loadMsgpack",
    esm: "@msgpack/msgpack",
    cjs: "@msgpack/msgpack",
  },
  {
    file: "/src/lazy/storageAdaptersModule.ts",
    fn: "loadStorageAdapters",
    esm: "@flyte/storage-adapters",
    cjs: "@flyte/storage-adapters",
  },
  {
    file: "/src/lazy/contextCoreModule.ts",
    fn: "loadContextCore",
    esm: "@flyte/context-core",
    cjs: "@flyte/context-core",
  },
];

// tsup builds the configs below at the same time, so none may `clean` (one would delete
// another's output): dist/ is emptied once, here, when the config is loaded.
rmSync("dist", { recursive: true, force: true });

const common: Options = {
  // No code splitting: the entries share only pure helpers, so a copy in each is harmless, and
  // the CJS build stays plain esbuild output.
  splitting: false,
  // @flyteorg/flyteidl2 is a devDependency: its generated TypeScript is compiled into our dist,
  // types included.
  noExternal: [/^@flyteorg\/flyteidl2/],
  ...nodeOutput,
};

// The declarations of the entries (.d.ts, .d.cts); flyteidl2's messages' come from
// scripts/idl-types.mjs (run first by `pnpm build`).
const dts: Options["dts"] = {
  resolve: [/^@flyteorg\/flyteidl2/],
  compilerOptions: { baseUrl: ".", paths: { "@flyteorg/flyteidl2/*": ["./.idl-types/*"] } },
};

// The value codecs (src/codecs.ts), loaded by the first conversion: built apart, so that the
// classes whose identity matters come from the root entry, not a copy.
const codecsFromEntry = () =>
  fromEntry(/[\\/]src[\\/](errors|values[\\/](File|Dir|Duration))\.ts$/, {
    esm: "./index.js",
    cjs: "./index.cjs",
  });

export default defineConfig(
  (["esm", "cjs"] as const).flatMap((format) => [
    {
      // index: the light root entry; proto: the descriptors (public subpath, loaded lazily by index).
      ...common,
      entry: { index: "src/index.ts", proto: "src/proto.ts" },
      format: [format],
      dts,
      esbuildPlugins: [builtinModules(), lazyModules(format, lazy, hint)],
    },
    {
      ...common,
      entry: { codecs: "src/codecs.ts" },
      format: [format],
      dts: false,
      esbuildPlugins: [builtinModules(), lazyModules(format, lazy, hint), codecsFromEntry()],
    },
  ]),
);
