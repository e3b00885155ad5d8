/**
 * Task caching, spelt as the Python SDK spells it: `cache: "auto" | "override" | "disable"`,
 * `true`/`false`, or `{ behavior?, version?, ignoredInputs? }`. Validated when the task is
 * defined. A hit returns the outputs a finished action with the same cache key stored, across
 * runs; the key is the Python SDK's (inputs hash without the ignored inputs, task name,
 * interface hash, cache version).
 */
import { TaskDefinitionError } from "../errors.js";

/** `"auto"`: look up and store; `"override"`: always run, then store; `"disable"`: neither. */
export type CacheBehavior = "auto" | "override" | "disable";

/** The `cache` option of a task. */
export type CacheSpec =
  | CacheBehavior
  | boolean
  | {
      readonly behavior?: CacheBehavior;
      /** Part of the cache key: change it to invalidate. @default a hash of the function's source */
      readonly version?: string;
      /** Inputs left out of the cache key (and of child action names, as in Python). */
      readonly ignoredInputs?: readonly string[];
    };

/** A validated cache policy. */
export interface CachePolicy {
  readonly behavior: CacheBehavior;
  readonly version?: string;
  readonly ignoredInputs: readonly string[];
}

/** Caching off (the default, as in Python). */
export const NO_CACHE: CachePolicy = Object.freeze({
  behavior: "disable",
  ignoredInputs: Object.freeze([]),
});

const BEHAVIORS: readonly string[] = ["auto", "override", "disable"];
const KEYS = ["behavior", "version", "ignoredInputs"];

/** Validates a cache option; refuses with a {@link TaskDefinitionError} naming the part. */
export function normalizeCache(spec: CacheSpec | undefined, where = "cache"): CachePolicy {
  if (spec === undefined || spec === false || spec === "disable") return NO_CACHE;
  if (spec === true) return Object.freeze({ behavior: "auto", ignoredInputs: Object.freeze([]) });
  if (typeof spec === "string") {
    if (!BEHAVIORS.includes(spec))
      throw bad(
        where,
        `must be "auto", "override", "disable", a boolean or { behavior, version, ignoredInputs }, got ${JSON.stringify(spec)}`,
      );
    return Object.freeze({ behavior: spec, ignoredInputs: Object.freeze([]) });
  }
  if (typeof spec !== "object" || spec === null)
    throw bad(
      where,
      `must be "auto", "override", "disable", a boolean or an object, got ${String(spec)}`,
    );
  for (const key of Object.keys(spec)) {
    if (!KEYS.includes(key))
      throw bad(`${where}.${key}`, `has no option "${key}" (known: ${KEYS.join(", ")})`, where);
  }
  const behavior = spec.behavior ?? "auto";
  if (!BEHAVIORS.includes(behavior))
    throw bad(
      `${where}.behavior`,
      `must be "auto", "override" or "disable", got ${JSON.stringify(behavior)}`,
    );
  if (
    spec.version !== undefined &&
    (typeof spec.version !== "string" || spec.version.trim() === "")
  ) {
    throw bad(
      `${where}.version`,
      `must be a non-empty string, got ${JSON.stringify(spec.version)}`,
    );
  }
  const ignored = spec.ignoredInputs ?? [];
  if (!Array.isArray(ignored) || ignored.some((x) => typeof x !== "string" || x === "")) {
    throw bad(
      `${where}.ignoredInputs`,
      `must be an array of input names, got ${JSON.stringify(ignored)}`,
    );
  }
  return Object.freeze({
    behavior,
    ...(spec.version !== undefined && { version: spec.version }),
    ignoredInputs: Object.freeze([...new Set(ignored as string[])]),
  });
}

function bad(option: string, text: string, label = option): TaskDefinitionError {
  return new TaskDefinitionError("INVALID_TASK", option, `${label} ${text}`);
}
