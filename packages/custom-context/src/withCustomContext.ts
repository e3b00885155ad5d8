import { customContextLogFields } from "./customContextLogFields.js";
import type { CustomContextLogOptions } from "./customContextLogFields.js";

/** The methods of a console-like logger that {@link withCustomContext} wraps. */
export const LOG_METHODS = ["trace", "debug", "info", "log", "warn", "error"] as const;

/** A console-like logger: any of `trace`, `debug`, `info`, `log`, `warn`, `error`. */
export type ConsoleLikeLogger = Partial<
  Record<(typeof LOG_METHODS)[number], (...args: unknown[]) => void>
>;

/**
 * Wraps a console-like logger (`console`, or anything with the same methods) so every line ends
 * with the custom context in force *when the line is logged*, as one object of flat fields
 * ({@link customContextLogFields}). Lines logged where the custom context is empty are passed on
 * unchanged. Wrap once, at module level; the wrapper reads the context per call.
 *
 * @example
 * const log = withCustomContext(console);
 * log.info("training", epoch);   // → training 3 { 'customContext.increment': '1' }
 */
export function withCustomContext<L extends ConsoleLikeLogger>(
  logger: L,
  options?: CustomContextLogOptions,
): L {
  const wrapped: ConsoleLikeLogger = {};
  for (const method of LOG_METHODS) {
    const original = logger[method];
    if (typeof original !== "function") continue;
    wrapped[method] = (...args: unknown[]): void => {
      const fields = customContextLogFields(options);
      if (Object.keys(fields).length === 0) original.call(logger, ...args);
      else original.call(logger, ...args, fields);
    };
  }
  // Everything else (child(), level, ...) is the logger's own.
  return Object.assign(Object.create(logger) as L, wrapped);
}
