/**
 * `new TaskEnvironment({ name })`: a named group of tasks sharing defaults, and the registry the
 * CLI and the entrypoint look tasks up in.
 */
import path from "node:path";

import { TaskDefinitionError } from "./errors.js";
import { invokeTask } from "./runtime/invokeTask.js";
import type { CacheSpec } from "./task/cachePolicy.js";
import { normalizeCache } from "./task/cachePolicy.js";
import { callerModule, toPath } from "./task/callerModule.js";
import type { RetrySpec } from "./task/retry.js";
import { normalizeRetries } from "./task/retry.js";
import type {
  AnyTask,
  Isolation,
  ResolvedTaskOptions,
  Task,
  TaskEnvironmentRef,
  TaskOf,
} from "./task/task.js";
import { makeTask, taskNameIfKnown, TASK_NAME } from "./task/task.js";
import type { TimeoutSpec } from "./task/timeoutPolicy.js";
import { normalizeTimeout } from "./task/timeoutPolicy.js";
import type { StandardSchemaV1 } from "@flyte/type-engine";
import type { InputSchemas } from "./task/taskInterface.js";
import { buildTaskInterface } from "./task/taskInterface.js";

/** Options of a {@link TaskEnvironment}; all but `name` and `description` are defaults for its tasks. */
export interface TaskEnvironmentOptions {
  /** Letters, digits, `_` and `-`, starting with a letter (as Flyte environment names). */
  readonly name: string;
  readonly retries?: RetrySpec;
  readonly isolation?: Isolation;
  readonly cache?: CacheSpec;
  readonly timeout?: TimeoutSpec;
  readonly description?: string;
}

/** Options of `env.task(options, fn)`. */
export interface TaskOptions {
  /**
   * The task's name: its identity in action names, hashes and lookups. Give it for arrow
   * functions, and for code that a bundler minifies. @default the export name a loader finds it
   * under (`flyte run`, `flyte-task`), else the function's name
   */
  readonly name?: string;
  /** `3`, or `{ count: 3, backoff: { base: 100, factor: 2, cap: 5_000 } }` (ms). @default the environment's, else 0 */
  readonly retries?: RetrySpec;
  /**
   * `"process"` runs each attempt in a child process, so a crash (`process.exit`, an uncaught
   * error, SIGKILL) is one failed attempt. The task must then be a module-level export.
   * @default the environment's, else "none"
   */
  readonly isolation?: Isolation;
  /** The file defining the task (a path or `import.meta.url`), for `isolation: "process"`. @default read from the call stack */
  readonly module?: string;
  readonly description?: string;
  /**
   * Cache the task's outputs by its inputs: `"auto"`, `"override"` (always run, then store),
   * `"disable"`, or `{ behavior, version, ignoredInputs }` (as the Python SDK spells it).
   * @default the environment's, else "disable"
   */
  readonly cache?: CacheSpec;
  /**
   * A limit per attempt (`"30s"`, `5_000` ms), or `{ attempt?, total?, grace? }`. An attempt that
   * overruns is aborted (its `ctx().signal` fires) and counts as a failed attempt, retried per
   * policy. @default the environment's, else none
   */
  readonly timeout?: TimeoutSpec;
  /** The code version in the task's identity (task hash). @default a hash of the function's source */
  readonly version?: string;
  /**
   * Declared inputs, one schema per name, in order (`{ x: z.int(), y: z.number() }`): the task
   * then takes ONE object of named inputs, typed from the schemas, each checked where it enters
   * the task, and sent on the wire with the Flyte type its schema gives (zod 4, valibot, arktype,
   * or `flyte.types`). Without it, a task takes positional arguments sent untyped (msgpack).
   */
  readonly inputs?: InputSchemas;
  /** The declared output (`o0`): the result is checked by it and typed from it. */
  readonly output?: StandardSchemaV1;
  /** Several declared outputs (`o0`, `o1`, …): the function returns a tuple. */
  readonly outputs?: readonly StandardSchemaV1[];
}

/** The object of named inputs a declared task is called with (inputs that accept `undefined` may be left out). */
export type CallInputs<I extends InputSchemas> = Simplify<
  {
    [
      K in keyof I as undefined extends StandardSchemaV1.InferInput<I[K]> ? never : K
    ]: StandardSchemaV1.InferInput<I[K]>;
  } & {
    [
      K in keyof I as undefined extends StandardSchemaV1.InferInput<I[K]> ? K : never
    ]?: StandardSchemaV1.InferInput<I[K]>;
  }
>;

/** The object of named inputs a declared task's function receives (checked, defaults applied). */
export type TaskInputs<I extends InputSchemas> = {
  [K in keyof I]: StandardSchemaV1.InferOutput<I[K]>;
};

/** What a task declared with `output` returns to its caller; `void` without one. */
export type TaskOutput<O> = O extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<O> : void;

/** What the function of a task declared with `output` may return. */
export type TaskReturn<O> = O extends StandardSchemaV1 ? StandardSchemaV1.InferInput<O> : void;

/** The tuple a task declared with `outputs` returns to its caller. */
export type TaskOutputs<T extends readonly StandardSchemaV1[]> = {
  -readonly [K in keyof T]: StandardSchemaV1.InferOutput<T[K]>;
};

/** The tuple the function of a task declared with `outputs` returns. */
export type TaskReturns<T extends readonly StandardSchemaV1[]> = {
  -readonly [K in keyof T]: StandardSchemaV1.InferInput<T[K]>;
};

type Simplify<T> = { [K in keyof T]: T[K] } & unknown;

/** Whether every key of `T` is optional (a task whose inputs may all be left out may be called with none). */
type AllOptional<T> = Partial<T> extends T ? true : false;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => unknown;

const ENV_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const ENV_KEYS = ["name", "retries", "isolation", "cache", "timeout", "description"];
const TASK_KEYS = [
  "name",
  "retries",
  "isolation",
  "module",
  "description",
  "cache",
  "timeout",
  "version",
  "inputs",
  "output",
  "outputs",
];

/** A named group of tasks. */
export class TaskEnvironment implements TaskEnvironmentRef {
  readonly name: string;
  readonly options: Readonly<TaskEnvironmentOptions>;
  readonly #tasks = new Set<AnyTask>();

  constructor(options: TaskEnvironmentOptions) {
    if (typeof options !== "object" || options === null) {
      throw new TaskDefinitionError(
        "INVALID_ENVIRONMENT",
        "options",
        "TaskEnvironment needs options { name }",
      );
    }
    checkKeys(options, ENV_KEYS, "INVALID_ENVIRONMENT", "TaskEnvironment");
    if (typeof options.name !== "string" || !ENV_NAME.test(options.name)) {
      throw new TaskDefinitionError(
        "INVALID_ENVIRONMENT",
        "name",
        `TaskEnvironment name must be letters, digits, "_" or "-", starting with a letter; got ${JSON.stringify(options.name)}`,
      );
    }
    normalizeRetries(options.retries, "retries");
    checkIsolation(options.isolation, "INVALID_ENVIRONMENT");
    normalizeCache(options.cache, "cache");
    normalizeTimeout(options.timeout, "timeout");
    this.name = options.name;
    this.options = Object.freeze({ ...options });
  }

  /** The tasks defined in this environment, by name (a task with no name yet is left out). */
  get tasks(): ReadonlyMap<string, AnyTask> {
    const byName = new Map<string, AnyTask>();
    for (const task of this.#tasks) {
      const name = taskNameIfKnown(task);
      if (name !== undefined) byName.set(name, task);
    }
    return byName;
  }

  /** The task `name` of this environment, or `undefined`. */
  getTask(name: string): AnyTask | undefined {
    return this.tasks.get(name);
  }

  /**
   * Defines a task: `env.task(async function train(n: number) {...})`,
   * `env.task({ retries: 3 }, fn)`, or curried, `env.task({ retries: 3 })(fn)`.
   * The task keeps the function's name and its parameter and return types.
   */
  // `F extends Function` rather than `(...args: A) => R`: a contextual signature would type an
  // unannotated parameter with a default (`y = 2`) as `unknown` instead of from its initializer.
  task<const I extends InputSchemas, const T extends readonly StandardSchemaV1[]>(
    options: TaskOptions & { readonly inputs: I; readonly outputs: T; readonly output?: never },
    fn: (inputs: TaskInputs<I>) => TaskReturns<T> | PromiseLike<TaskReturns<T>>,
  ): Task<[inputs: CallInputs<I>], TaskOutputs<T>>;
  task<const I extends InputSchemas, O extends StandardSchemaV1 | undefined = undefined>(
    options: TaskOptions & { readonly inputs: I; readonly output?: O; readonly outputs?: never },
    fn: (inputs: TaskInputs<I>) => TaskReturn<O> | PromiseLike<TaskReturn<O>>,
  ): Task<
    AllOptional<CallInputs<I>> extends true ? [inputs?: CallInputs<I>] : [inputs: CallInputs<I>],
    TaskOutput<O>
  >;
  task<A extends unknown[], O extends StandardSchemaV1>(
    options: TaskOptions & {
      readonly output: O;
      readonly inputs?: never;
      readonly outputs?: never;
    },
    fn: (...args: A) => TaskReturn<O> | PromiseLike<TaskReturn<O>>,
  ): Task<A, TaskOutput<O>>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  task<F extends Function>(fn: F): TaskOf<F>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  task<F extends Function>(options: TaskOptions, fn: F): TaskOf<F>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  task(options: TaskOptions): <F extends Function>(fn: F) => TaskOf<F>;
  task(a: TaskOptions | AnyFn, b?: AnyFn): AnyTask | ((fn: AnyFn) => AnyTask) {
    if (typeof a === "function") return this.#define({}, a, callerModule);
    if (b === undefined) {
      const options = a;
      this.#resolve(options, undefined, () => undefined); // refuse bad options now, not at the second call
      return (fn: AnyFn) => this.#define(options, fn, callerModule);
    }
    return this.#define(a, b, callerModule);
  }

  #define(options: TaskOptions, fn: AnyFn, findModule: () => string | undefined): AnyTask {
    if (typeof fn !== "function") {
      throw new TaskDefinitionError(
        "INVALID_TASK",
        "fn",
        `env.task needs a function, got ${typeof fn}`,
      );
    }
    const resolved = this.#resolve(options, fn, findModule);
    const label = `task "${options.name ?? (fn.name || "(unnamed)")}"`;
    const declared = {
      ...(options.inputs !== undefined && { inputs: options.inputs }),
      ...(options.output !== undefined && { output: options.output }),
      ...(options.outputs !== undefined && { outputs: options.outputs }),
    };
    const task = makeTask(
      fn,
      resolved,
      buildTaskInterface(fn as never, declared, label),
      this,
      invokeTask,
    );
    const name = taskNameIfKnown(task);
    if (name !== undefined && this.getTask(name) !== undefined) {
      throw new TaskDefinitionError(
        "INVALID_TASK",
        "name",
        `environment "${this.name}" already has a task named "${name}"; give one of them { name }`,
      );
    }
    this.#tasks.add(task);
    return task;
  }

  #resolve(
    options: TaskOptions,
    fn: ((...args: never[]) => unknown) | undefined,
    findModule: () => string | undefined,
  ): ResolvedTaskOptions {
    if (typeof options !== "object" || options === null) {
      throw new TaskDefinitionError(
        "INVALID_TASK",
        "options",
        `task options must be an object, got ${String(options)}`,
      );
    }
    checkKeys(options, TASK_KEYS, "INVALID_TASK", "env.task");
    const name = options.name;
    if (name !== undefined && (typeof name !== "string" || !TASK_NAME.test(name))) {
      throw new TaskDefinitionError(
        "INVALID_TASK",
        "name",
        `task name ${JSON.stringify(name)} must be an identifier (letters, digits, _, $, -)`,
      );
    }
    if (
      options.version !== undefined &&
      (typeof options.version !== "string" || options.version.trim() === "")
    ) {
      throw new TaskDefinitionError(
        "INVALID_TASK",
        "version",
        `task version must be a non-empty string, got ${JSON.stringify(options.version)}`,
      );
    }
    // `null` is refused, not taken for "absent": it is a value someone wrote.
    const retries = normalizeRetries(
      options.retries !== undefined ? options.retries : this.options.retries,
      "retries",
    );
    const isolation =
      checkIsolation(
        options.isolation !== undefined ? options.isolation : this.options.isolation,
        "INVALID_TASK",
      ) ?? "none";
    const cache = normalizeCache(
      options.cache !== undefined ? options.cache : this.options.cache,
      "cache",
    );
    const timeout = normalizeTimeout(
      options.timeout !== undefined ? options.timeout : this.options.timeout,
      "timeout",
    );
    let module: string | undefined;
    if (options.module !== undefined) {
      module = typeof options.module === "string" ? toPath(options.module) : undefined;
      if (module === undefined) {
        throw new TaskDefinitionError(
          "INVALID_TASK",
          "module",
          `task module must be an absolute path or a file:// URL (import.meta.url), got ${JSON.stringify(options.module)}`,
        );
      }
    } else {
      // Always read: process isolation imports the module, and an unnamed task's export name is
      // looked up there.
      module = findModule();
    }
    if (module !== undefined) module = path.normalize(module);
    const description = options.description ?? undefined;
    return {
      ...(name !== undefined && { name }),
      retries,
      isolation,
      cache,
      timeout,
      ...(module !== undefined && { module }),
      ...(description !== undefined && { description }),
      ...(options.version !== undefined && { version: options.version }),
    };
  }
}

function checkIsolation(
  value: unknown,
  code: "INVALID_ENVIRONMENT" | "INVALID_TASK",
): Isolation | undefined {
  if (value === undefined || value === "none" || value === "process") return value;
  throw new TaskDefinitionError(
    code,
    "isolation",
    `isolation must be "none" or "process", got ${JSON.stringify(value)}`,
  );
}

function checkKeys(
  obj: object,
  allowed: readonly string[],
  code: "INVALID_ENVIRONMENT" | "INVALID_TASK",
  where: string,
): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new TaskDefinitionError(
        code,
        key,
        `${where} has no option "${key}" (known: ${allowed.join(", ")})`,
      );
    }
  }
}
