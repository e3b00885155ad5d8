/**
 * A task: a function wrapped so that calling it runs an action (its own context, attempts,
 * checkpoint paths and custom context). Made by `env.task(...)`.
 */
import type { TaskEnvironment } from "./environment.js";
import type { RetryPolicy } from "./retry.js";

/** Where a task's attempts run: in this process (the default), or each in a child process. */
export type Isolation = "none" | "process";

/** A task's options after validation, with the environment's defaults applied. */
export interface ResolvedTaskOptions {
  /** The task's name: `options.name`, else the function's name. */
  readonly name: string;
  readonly retries: RetryPolicy;
  readonly isolation: Isolation;
  /**
   * The file that defines the task (an absolute path), needed by `isolation: "process"` so the
   * child process can import it; found from the call stack unless given.
   */
  readonly module?: string;
  readonly description?: string;
}

const TASK_BRAND: unique symbol = Symbol.for("@flyte/sdk.task.v1") as never;

/**
 * A callable task: `await task(...args)`. Inside a running task the call runs as a child action;
 * outside any run it starts an implicit local run (exactly like `flyte.run(task, ...args)`).
 * Either way it resolves to the function's result, or rejects with a `TaskFailedError`.
 * `task.fn` is the bare function (no context, no retries), for unit tests.
 */
export interface Task<A extends unknown[] = never, R = unknown> {
  (...args: A): Promise<R>;
  /** The function's name (or `options.name`). */
  readonly name: string;
  /** `<environment>.<name>`, as the Python SDK names tasks; used in child action names. */
  readonly fullName: string;
  readonly options: ResolvedTaskOptions;
  /** The function the task wraps. */
  readonly fn: (...args: A) => R | PromiseLike<R>;
  /** The environment that defined the task. */
  readonly environment: TaskEnvironment;
  readonly [TASK_BRAND]: true;
}

/** The task `env.task(fn)` makes of a function type `F`: same parameters, the awaited result. */
export type TaskOf<F> = F extends (...args: infer A) => infer R ? Task<A, Awaited<R>> : never;

/** A task of any signature (for registries and lookups). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTask = Task<any[], unknown>;

/** Whether `value` is a task made by `env.task` (from any copy of this package). */
export function isTask(value: unknown): value is AnyTask {
  return typeof value === "function" && (value as { [TASK_BRAND]?: unknown })[TASK_BRAND] === true;
}

/**
 * Builds the callable. `call` is what invoking it does (the controller's submit); it is passed in
 * so this file stays free of the runtime.
 */
export function makeTask<A extends unknown[], R>(
  fn: (...args: A) => R | PromiseLike<R>,
  options: ResolvedTaskOptions,
  environment: TaskEnvironment,
  call: (task: Task<A, R>, args: A) => Promise<R>,
): Task<A, R> {
  const task = function (this: unknown, ...args: A): Promise<R> {
    return call(task, args);
  } as Task<A, R>;
  Object.defineProperties(task, {
    name: { value: options.name, enumerable: false },
    fullName: { value: `${environment.name}.${options.name}`, enumerable: true },
    options: { value: Object.freeze({ ...options }), enumerable: true },
    fn: { value: fn, enumerable: true },
    environment: { value: environment, enumerable: true },
    [TASK_BRAND]: { value: true },
  });
  return Object.freeze(task);
}
