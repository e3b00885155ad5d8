/**
 * Internal modules some tests reach directly (the canonical msgpack re-encoder has no public
 * entry of its own: the inputs hash is its only caller).
 */
export { canonicalMsgpack as canonicalMsgpackForTest } from "../../src/msgpack/canonical.js";
export { canonicalMsgpackSlow } from "../../src/msgpack/canonicalSlow.js";
export {
  ContainerErrorKind,
  Dimensionality,
  ErrorOrigin,
  Simple,
} from "../../src/proto/messages.js";
