import { internalCtx } from "@flyte/context-core";
import type { Context, ScopeHandle, TaskContext } from "@flyte/context-core";
import { CustomContextError } from "./errors.js";
import { driverScopeVar } from "./internal/driverScope.js";
import { frozenValuesOf } from "./internal/frozenValues.js";
import { cachedScope, rememberScope } from "./internal/scopeCache.js";
import { taskScopeMemo } from "./internal/taskScopeMemo.js";
import {
  EMPTY_MAP,
  buildMerged,
  checkLimits,
  checkValues,
  rememberSize,
  rememberTaskSize,
  signatureOf,
} from "./internal/validatedMerge.js";

/** The string map a scope adds: keys as {@link CUSTOM_CONTEXT_KEY_PATTERN} says, string values. */
export type CustomContextValues = Readonly<Record<string, string>>;

/** What `customContext(values)` returns: dispose it (`using`) to leave the scope. */
export interface CustomContextScope extends Disposable {
  /** The merged map in force inside the scope (frozen). */
  readonly values: Readonly<Record<string, string>>;
  /** Leaves the scope; the same as disposing it. Idempotent. */
  exit(): void;
}

/**
 * Adds `values` to the custom context until the returned scope is disposed — TypeScript's
 * `using _ = customContext({...})`, Python's `with flyte.custom_context(...)`. Inner keys win over
 * outer ones; leaving restores the outer values. Scopes nest to any depth and must be left in
 * reverse order of entry (which `using` guarantees).
 *
 * Inside a task the scope replaces the task context with a copy whose `customContext` is the
 * merged map (`ctx().customContext` and every child task called in the scope see it). Outside a
 * task the values go to the driver scope: they become the base custom context of any run started
 * inside it ({@link runScopeCustomContext}).
 *
 * A frozen `values` object (`const TAGS = Object.freeze({...})`) is checked once for its life and
 * the scope it makes over a task context is reused: the fast path for scopes entered in a loop.
 *
 * @throws {CustomContextError} for a bad key or value, or a merged map over the limits; nothing
 *   already set changes then.
 */
export function customContext(values: CustomContextValues): CustomContextScope;
/**
 * Runs `fn` with `values` added to the custom context, in a context branch of its own: the values
 * hold in `fn` and everything it starts (awaits included), and nothing `fn` sets leaks out.
 * Returns what `fn` returns (a promise for an async `fn`).
 */
export function customContext<R>(values: CustomContextValues, fn: () => R): R;
export function customContext<R>(
  values: CustomContextValues,
  fn?: () => R,
): CustomContextScope | R {
  if (fn !== undefined && typeof fn !== "function") {
    throw new CustomContextError(
      "INVALID_CALLBACK",
      `customContext(values, fn) needs a function as fn, got ${fn === null ? "null" : typeof fn}`,
    );
  }
  const context = internalCtx();
  const task = context.data.taskContext;
  if (task !== undefined) {
    const scoped = taskScopeMemo.get(context, values) ?? enterTaskScope(context, task, values);
    if (fn !== undefined) return scoped.run(fn);
    return new TaskScope(scoped.data.taskContext!, scoped.enter());
  }
  const base = driverScopeVar.get() ?? EMPTY_MAP;
  const checked = checkValues(base, values);
  const signature = signatureOf(checked);
  let frozen = cachedScope<Readonly<Record<string, string>>>(base, signature);
  if (frozen === undefined) {
    frozen = Object.freeze(buildMerged(base, checked).map);
    rememberSize(frozen, checked.size);
    rememberScope(base, signature, frozen);
  }
  if (fn !== undefined) return driverScopeVar.run(frozen, fn);
  const handle = driverScopeVar.enter(frozen);
  return scopeOf(frozen, () => handle.exit());
}

/**
 * The Context of a scope over `task`: checked, then layered (O(keys added): the merged map is
 * built only if someone reads it, as a child call does). A frozen values object is read and
 * checked once for good, and the Context it makes over `context` is remembered, so a scope
 * entered again and again with one frozen constant costs a look-up (see {@link taskScopeMemo}).
 */
function enterTaskScope(context: Context, task: TaskContext, values: unknown): Context {
  const frozen = frozenValuesOf(values);
  const checked = frozen === undefined ? checkValues(task, values) : checkLimits(task, frozen);
  const next = task.withCustomContext(checked.keys, checked.values);
  rememberTaskSize(next, checked.size);
  const scoped = context.replaceTaskContext(next);
  if (frozen !== undefined) taskScopeMemo.set(context, values as object, scoped);
  return scoped;
}

function scopeOf(values: Readonly<Record<string, string>>, leave: () => void): CustomContextScope {
  return new Scope(values, leave);
}

/**
 * A class, not an object literal: a literal with a computed `[Symbol.dispose]` key is built on
 * V8's slow path, which cost more than the rest of a scope together.
 */
class Scope implements CustomContextScope {
  readonly values: Readonly<Record<string, string>>;
  #leave: (() => void) | undefined;

  constructor(values: Readonly<Record<string, string>>, leave: () => void) {
    this.values = values;
    this.#leave = leave;
  }

  exit(): void {
    const leave = this.#leave;
    if (leave === undefined) return;
    // Marked only once left, so a refused exit can be retried.
    leave();
    this.#leave = undefined;
  }

  [Symbol.dispose](): void {
    this.exit();
  }
}

/** A scope entered inside a task: its merged map is read from the scope's TaskContext on demand. */
class TaskScope implements CustomContextScope {
  readonly #task: TaskContext;
  readonly #handle: ScopeHandle;

  constructor(task: TaskContext, handle: ScopeHandle) {
    this.#task = task;
    this.#handle = handle;
  }

  get values(): Readonly<Record<string, string>> {
    return this.#task.customContext;
  }

  exit(): void {
    this.#handle.exit();
  }

  [Symbol.dispose](): void {
    this.#handle.exit();
  }
}
