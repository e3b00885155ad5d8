/**
 * The value codecs: JavaScript values to and from Flyte literals, msgpack included, and the
 * canonical msgpack re-encoding of the inputs hash. About half of the package's code, so the
 * build makes it a file of its own (`dist/codecs.{js,cjs}`), loaded by the first conversion
 * (`lazy/codecsModule.ts`): `import "@flyte/type-engine"` does not parse it. Not a public entry.
 */
export { toLiteral } from "./types/toLiteral.js";
export { fromLiteral } from "./types/fromLiteral.js";
export { canonicalMsgpack } from "./msgpack/canonical.js";
