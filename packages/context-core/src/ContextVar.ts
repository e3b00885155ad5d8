import { ContextError } from "./errors.js";
import { internalSlot } from "./contextStorage.js";
import { currentStorage } from "./contextStorage.js";
import type { ContextStorage } from "./contextStorage.js";
import { COMPACT_DEPTH, Frame, compact } from "./internal/Frame.js";
import { Token } from "./Token.js";

/** What {@link ContextVar.enter} returns: dispose it (`using`) or call `exit()` to leave the scope. */
export interface ScopeHandle extends Disposable {
  /** Leaves the scope; the same as disposing it. Idempotent. */
  exit(): void;
}

/** Options of a {@link ContextVar}. */
export interface ContextVarOptions<T> {
  /** What `get()` returns where the variable is unset. */
  readonly default?: T;
}

const slot = internalSlot;
/** Marks "no value of its own" in a frame pushed by `reset` of a first `set`. */
const UNSET: unique symbol = Symbol("unset");

/**
 * A context variable, as Python's `contextvars.ContextVar`: a value per context branch that flows
 * into everything the branch starts (awaits, timers, callbacks) and never leaks out of it.
 *
 * All variables share one AsyncLocalStorage holding an immutable chain of frames, so `run` and
 * `set` cost one allocation, and `get` is one comparison for the innermost variable.
 *
 * @example
 * const requestId = new ContextVar<string>("requestId");
 * requestId.run("r-1", async () => { await work(); requestId.get(); // "r-1"
 * });
 */
export class ContextVar<T> {
  readonly name: string;
  readonly #default: T | undefined;

  constructor(name: string, options?: ContextVarOptions<T>) {
    if (typeof name !== "string" || name.length === 0) {
      throw new TypeError("ContextVar needs a non-empty string name");
    }
    this.name = name;
    this.#default = options?.default;
  }

  /** The value in the current branch, or the default where it is unset. */
  get(): T | undefined {
    const storage = slot.storage;
    const f = storage === undefined ? undefined : storage.getStore();
    if (f === undefined) return this.#default;
    if (f.key === this) return f.value === UNSET ? this.#default : (f.value as T);
    if (f.memoKey === this && f.memoEpoch === slot.epoch) return f.memoValue as T | undefined;
    return this.#lookup(f);
  }

  #lookup(top: Frame): T | undefined {
    let value: unknown = this.#default;
    for (let f = top.parent; f !== undefined; f = f.parent) {
      if (f.key === this) {
        value = f.value === UNSET ? this.#default : f.value;
        break;
      }
    }
    top.memoKey = this;
    top.memoValue = value;
    top.memoEpoch = slot.epoch;
    return value as T | undefined;
  }

  /** Whether the variable has a value of its own in the current branch (the default does not count). */
  has(): boolean {
    for (let f = currentStorage().getStore(); f !== undefined; f = f.parent) {
      if (f.key === this) return f.value !== UNSET;
    }
    return false;
  }

  /**
   * Sets the value for the rest of the current branch and everything it starts from now on.
   * Never visible outside the branch (see `contextualRun`). Returns a token for `reset`.
   */
  set(value: T): Token<T> {
    const storage = currentStorage();
    const top = storage.getStore();
    const hadValue = this.has();
    const token = new Token<T>(this, branchOf(top), hadValue ? this.get() : undefined, hadValue);
    storage.enterWith(push(top, this, value));
    return token;
  }

  /**
   * Undoes the `set` that returned `token`: the variable gets back the value it had before.
   * Throws a {@link ContextError} for a token already used, made by another variable, or made in
   * another context branch.
   */
  reset(token: Token<T>): void {
    if (!(token instanceof Token)) {
      throw new ContextError(
        "TOKEN_WRONG_VARIABLE",
        `ContextVar(${this.name}).reset() needs a Token from its set()`,
      );
    }
    if (token.variable !== this) {
      throw new ContextError(
        "TOKEN_WRONG_VARIABLE",
        `this token was created by ${String((token.variable as ContextVar<unknown>).name)}, not by ContextVar(${this.name})`,
      );
    }
    if (token.used) {
      throw new ContextError(
        "TOKEN_ALREADY_USED",
        `this token of ContextVar(${this.name}) has already been used`,
      );
    }
    const storage = currentStorage();
    const top = storage.getStore();
    if (branchOf(top) !== token.branch) {
      throw new ContextError(
        "TOKEN_WRONG_BRANCH",
        `this token of ContextVar(${this.name}) was created in another context branch`,
      );
    }
    token.used = true;
    storage.enterWith(push(top, this, token.hadValue ? token.oldValue : UNSET));
  }

  /**
   * Sets the value until the returned handle is disposed — `using _ = v.enter(value)`, the
   * `with` statement of a scope. Unlike `set`/`reset`, leaving is seen everywhere the scope was
   * seen: a caller that resumed after an `await` of an async helper that entered a scope sees the
   * value of before, as in Python (AsyncLocalStorage alone would leak it to that caller,
   * nodejs/node#45848). Work started inside the scope sees it while the scope lasts; a child
   * that must keep a value after the scope ends should capture it when started.
   * Leaving twice is a no-op; scopes nest and are left in reverse order (which `using` does).
   */
  enter(value: T): ScopeHandle {
    const storage = currentStorage();
    const previous = storage.getStore();
    const frame = new Frame(previous ?? ROOT_BRANCH, this, value, branchOf(previous), true);
    storage.enterWith(frame);
    return new Scope(storage, frame);
  }

  /**
   * Runs `fn` with the variable set to `value`, in a branch of its own: visible in `fn` and all it
   * starts, never outside; `set()`s made inside `fn` stay inside too.
   */
  run<R>(value: T, fn: () => R): R {
    const storage = slot.storage ?? currentStorage();
    const top = storage.getStore();
    return storage.run(new Frame(top, this, value, undefined), fn);
  }

  toString(): string {
    return `ContextVar(${this.name})`;
  }
}

/**
 * The handle of one `enter()`. A class, not an object literal: a literal with a computed
 * `[Symbol.dispose]` key is built on V8's slow path (about 20× the cost of the whole scope).
 */
class Scope implements ScopeHandle {
  #frame: Frame | undefined;
  readonly #storage: ContextStorage;

  constructor(storage: ContextStorage, frame: Frame) {
    this.#storage = storage;
    this.#frame = frame;
  }

  exit(): void {
    const frame = this.#frame;
    if (frame === undefined) return;
    this.#frame = undefined;
    // Transparent for every continuation that captured it; memos made through it are stale.
    frame.key = undefined;
    slot.epoch++;
    // Where the scope is still the current frame (the usual, same-continuation exit), pop it.
    if (this.#storage.getStore() === frame) this.#storage.enterWith(frame.parent!);
  }

  [Symbol.dispose](): void {
    this.exit();
  }
}

/** The branch of the current frame; the process's root branch outside any. */
function branchOf(top: Frame | undefined): Frame {
  return top === undefined ? ROOT_BRANCH : top.branch;
}

function push(top: Frame | undefined, key: object, value: unknown): Frame {
  const branch = top === undefined ? ROOT_BRANCH : top.branch;
  const frame = new Frame(top ?? ROOT_BRANCH, key, value, branch);
  return frame.depth > COMPACT_DEPTH ? compact(frame) : frame;
}

/** The branch that code outside any `run`/`contextualRun` belongs to. */
const ROOT_BRANCH: Frame = new Frame(undefined, undefined, undefined, undefined);
