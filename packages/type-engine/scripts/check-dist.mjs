// What a user of the built package gets, beyond loading (tooling/scripts/check-dist.mjs):
// - importing the root entry loads neither protobuf, msgpack, storage-adapters nor context-core
//   (CJS: none in require.cache);
// - the first wire call loads them, and writes what Python writes (the `ints` vector's bytes),
//   from both builds: the ESM one reaches dist/proto.js through require(esm).
// Run by `pnpm check:package` after the build.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const dist = join(import.meta.dirname, "..", "dist");
const INTS_PB =
  "0a0b0a017812060a040a0208030a140a0179120f0a0d0a0b08f9ffffffffffffffff010a120a03626967120b0a090a0708808080808020120e0a09696e6372656d656e74120131120c0a0574726163651203616263";
const body = (m) => `
const t = m.flyteTypes.integer;
const lits = [["x", 3], ["y", -7], ["big", 1099511627776]].map(([name, v]) => ({ name, literal: m.toLiteral(v, t, name) }));
const hex = Buffer.from(m.encodeInputs(lits, [["increment", "1"], ["trace", "abc"]])).toString("hex");
if (hex !== ${JSON.stringify(INTS_PB)}) throw new Error("encodeInputs wrote " + hex);
const packed = m.toLiteral({ a: 1, b: [2.5, "x"] }, m.flyteTypes.any, "x");
if (JSON.stringify(m.fromLiteral(packed)) !== '{"a":1,"b":[2.5,"x"]}') throw new Error("msgpack round trip failed");
`;
const checks = [
  [
    "require",
    [
      "--input-type=commonjs",
      "-e",
      `
const m = require(${JSON.stringify(join(dist, "index.cjs"))});
const early = Object.keys(require.cache).filter((k) => /@bufbuild|@msgpack|proto\\.cjs|storage-adapters|context-core/.test(k));
if (early.length) throw new Error("loaded at import: " + early.join(", "));
${body()}
const late = Object.keys(require.cache).filter((k) => /@bufbuild|@msgpack/.test(k));
if (!late.length) throw new Error("nothing loaded after use?");
`,
    ],
  ],
  [
    "import",
    [
      "--input-type=module",
      "-e",
      `
const m = await import(${JSON.stringify(join(dist, "index.js"))});
${body()}
const proto = await import(${JSON.stringify(join(dist, "proto.js"))});
if (typeof proto.LiteralSchema !== "object") throw new Error("proto entry has no LiteralSchema");
`,
    ],
  ],
];
let failed = false;
for (const [kind, args] of checks) {
  const r = spawnSync(process.execPath, args, { encoding: "utf8" });
  if (r.status !== 0) {
    failed = true;
    console.error(`check-dist (${kind}) failed:\n${r.stderr}`);
  } else
    console.log(
      `check-dist: @flyte/type-engine dist works with ${kind}, protobuf and msgpack loaded on first use`,
    );
}
process.exit(failed ? 1 : 0);
