/**
 * @flyte/custom-context — user metadata (string key/value pairs) that flows from a Flyte task to
 * every task it starts: `using _ = customContext({...})`, `getCustomContext()`, the precedence
 * helpers a runner uses, and log fields. Across processes it travels in Flyte's own
 * `Inputs.context` (see @flyte/type-engine), checked again with `mergeCustomContext` on arrival.
 */
export { customContext } from "./customContext.js";
export type { CustomContextScope, CustomContextValues } from "./customContext.js";
export { getCustomContext } from "./getCustomContext.js";
export { runScopeCustomContext } from "./runScopeCustomContext.js";
export { mergeCustomContext } from "./mergeCustomContext.js";
export { resolveRunCustomContext } from "./resolveRunCustomContext.js";
export {
  configureCustomContextLimits,
  customContextLimits,
  DEFAULT_CUSTOM_CONTEXT_LIMITS,
  CUSTOM_CONTEXT_KEY_PATTERN,
  MAX_CUSTOM_CONTEXT_KEY_LENGTH,
  RESERVED_CUSTOM_CONTEXT_PREFIXES,
} from "./limits.js";
export type { CustomContextLimits } from "./limits.js";
export { customContextLogFields, DEFAULT_LOG_PREFIX } from "./customContextLogFields.js";
export type { CustomContextLogOptions } from "./customContextLogFields.js";
export { withCustomContext, LOG_METHODS } from "./withCustomContext.js";
export type { ConsoleLikeLogger } from "./withCustomContext.js";
export { CustomContextError } from "./errors.js";
export type { CustomContextErrorCode } from "./errors.js";
