import { getCustomContext } from "./getCustomContext.js";
import { runScopeCustomContext } from "./runScopeCustomContext.js";

/** Options of {@link customContextLogFields} and {@link withCustomContext}. */
export interface CustomContextLogOptions {
  /** Put before every key, so the fields never clash with a logger's own. @default "customContext." */
  readonly prefix?: string;
}

/** The prefix log fields get when none is given. */
export const DEFAULT_LOG_PREFIX = "customContext.";

/**
 * The custom context in force here as flat log fields: `{ "customContext.increment": "0" }`.
 * Inside a task it is the task's custom context ({@link getCustomContext}); outside, the driver
 * scopes in force ({@link runScopeCustomContext}), so a driver's log lines show what its next run
 * will carry. A new object per call; `{}` when there is nothing to show.
 *
 * Structured loggers take it as they are: pino's `mixin: () => customContextLogFields()`,
 * winston's `format((info) => Object.assign(info, customContextLogFields()))()`, or
 * `logger.child(customContextLogFields())` for one task's lines.
 */
export function customContextLogFields(options?: CustomContextLogOptions): Record<string, string> {
  const prefix = options?.prefix ?? DEFAULT_LOG_PREFIX;
  const inTask = getCustomContext();
  const map = Object.keys(inTask).length > 0 ? inTask : runScopeCustomContext();
  const fields: Record<string, string> = {};
  for (const key of Object.keys(map)) fields[prefix + key] = map[key]!;
  return fields;
}
