import { ContextError } from "./errors.js";
import { internalSlot } from "./contextStorage.js";
import { currentStorage } from "./contextStorage.js";
import { COMPACT_DEPTH, Frame, bornAbove, compact, findFrame } from "./internal/Frame.js";
import { currentRun, inRun } from "./internal/runClock.js";
import { LEFT_IN_ITS_RUN } from "./internal/ScopeState.js";
import type { ScopeState } from "./internal/ScopeState.js";
import { Token } from "./Token.js";

/** What {@link ContextVar.enter} returns: dispose it (`using`) or call `exit()` to leave the scope. */
export interface ScopeHandle extends Disposable {
  /**
   * Leaves the scope; the same as disposing it. Idempotent.
   *
   * @throws {ContextError} `SCOPE_SHARED` when a scope entered directly on top of this one in the
   *   same synchronous run was not left in this line of execution (see {@link ContextVar.enter});
   *   the scope is left all the same.
   */
  exit(): void;
}

/** Options of a {@link ContextVar}. */
export interface ContextVarOptions<T> {
  /** What `get()` returns where the variable is unset. */
  readonly default?: T;
}

/**
 * What `new ContextVar(...)` makes. With a `default`, `get()` is typed `T`; without one,
 * `T | undefined` — which is also what `ContextVar<T>` (the second parameter left out) means.
 */
export interface ContextVarConstructor {
  new <T>(name: string, options: ContextVarOptions<T> & { readonly default: T }): ContextVar<T, T>;
  new <T>(name: string, options?: ContextVarOptions<T>): ContextVar<T>;
  readonly prototype: ContextVar<unknown>;
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
 * `D` is what `get()` returns where the variable is unset: `T` when the variable was made with a
 * default (then `get()` is `T`), `T | undefined` when not (the default of `D`).
 *
 * @example
 * const requestId = new ContextVar<string>("requestId");
 * requestId.run("r-1", async () => { await work(); requestId.get(); // "r-1"
 * });
 */
class ContextVarImpl<T, D extends T | undefined = T | undefined> {
  readonly name: string;
  readonly #default: D;

  constructor(name: string, options?: ContextVarOptions<T>) {
    if (typeof name !== "string" || name.length === 0) {
      throw new TypeError("ContextVar needs a non-empty string name");
    }
    this.name = name;
    this.#default = options?.default as D;
  }

  /** The value in the current branch, or the default where it is unset. */
  get(): T | D {
    const storage = slot.storage;
    const f = storage === undefined ? undefined : storage.getStore();
    if (f === undefined) return this.#default;
    if (f.key === this) return f.value === UNSET ? this.#default : (f.value as T);
    if (f.memoKey === this && f.memoEpoch === slot.epoch) return f.memoValue as T | D;
    return this.#lookup(f);
  }

  #lookup(top: Frame): T | D {
    const found = findFrame(top.parent, this, bornAbove(top));
    const value = found === undefined || found.value === UNSET ? this.#default : (found.value as T);
    top.memoKey = this;
    top.memoValue = value;
    top.memoEpoch = slot.epoch;
    return value;
  }

  /** Whether the variable has a value of its own in the current branch (the default does not count). */
  has(): boolean {
    const top = currentStorage().getStore();
    if (top === undefined) return false;
    const found = top.key === this ? top : findFrame(top.parent, this, bornAbove(top));
    return found !== undefined && found.value !== UNSET;
  }

  /**
   * Sets the value for the rest of the current branch and everything it starts from now on.
   * Never visible outside the branch (see `contextualRun`). Returns a token for `reset`.
   */
  set(value: T): Token<T> {
    const storage = currentStorage();
    const top = storage.getStore();
    const hadValue = this.has();
    const token = new Token<T>(
      this,
      branchOf(top),
      hadValue ? (this.get() as T) : undefined,
      hadValue,
    );
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
        `this token was created by ${String((token.variable as ContextVarImpl<unknown>).name)}, not by ContextVar(${this.name})`,
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
   * Sets the value until the returned handle is disposed — `using _ = v.enter(value)`, Python's
   * `with` — for the code that follows in the current branch and for everything that code starts.
   *
   * When the scope ends, the code after the block sees the value of before. Work started inside
   * the scope (timers, promises left running, callbacks, branches) keeps the value it started with,
   * as Python's `create_task` and `call_later` keep their context — with one exception: a scope
   * that spanned an `await` is left *everywhere* at once, because an async function that suspends
   * inside a scope it entered before its first `await` has left the scope in force in its caller
   * (AsyncLocalStorage semantics, nodejs/node#45848) and nothing can tell that caller apart from
   * work the function started. Branch roots made inside it (`contextualRun`, `run`, `gather`,
   * `copyContext`, a task call) still keep it.
   *
   * An async function called without a branch of its own shares such a scope with its caller until
   * the scope ends. When the caller, or a sibling the caller starts (`Promise.all`), enters a scope
   * on top of it, leaving the first one throws `SCOPE_SHARED`: run concurrent helpers with
   * `gather([...])` or `contextual(fn)`, or use `run` (the callback form).
   *
   * Leaving twice is a no-op; scopes nest and are left in reverse order (which `using` does).
   */
  enter(value: T): ScopeHandle {
    const storage = currentStorage();
    const previous = storage.getStore();
    const run = currentRun();
    const below = skipLeft(previous);
    // Stacked directly on an open scope of this same run: the two must be left along one line.
    const beneath = below === previous ? below?.scope : undefined;
    const parent =
      beneath !== undefined && beneath.leftAt === 0 && beneath.run === run ? beneath : undefined;
    // The handle is the scope's state too: one allocation fewer on this hot path.
    const scope = new Scope(this, run, parent);
    if (parent !== undefined) parent.children++;
    const frame = new Frame(below ?? ROOT_BRANCH, this, value, branchOf(below), scope);
    scope.frame = frame;
    storage.enterWith(frame);
    return scope;
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
 * A context variable, as Python's `contextvars.ContextVar` (its methods are documented on the
 * class). `new ContextVar<number>("n", { default: 0 }).get()` is typed `number`;
 * `new ContextVar<number>("n").get()` is `number | undefined`.
 */
export type ContextVar<T, D extends T | undefined = T | undefined> = ContextVarImpl<T, D>;
/** The constructor of {@link ContextVar} (a class: `instanceof ContextVar` works). */
export const ContextVar: ContextVarConstructor = ContextVarImpl as ContextVarConstructor;
Object.defineProperty(ContextVarImpl, "name", { value: "ContextVar" });

/**
 * The handle of one `enter()`, and the scope's state. A class, not an object literal: a literal
 * with a computed `[Symbol.dispose]` key is built on V8's slow path (about 20× the cost of the
 * whole scope). Fields are declared, not initialised, and assigned in one order in the
 * constructor: V8 then builds every handle with one shape in one step.
 */
class Scope implements ScopeHandle, ScopeState {
  declare readonly key: object;
  declare readonly run: number;
  declare readonly parent: ScopeState | undefined;
  declare children: number;
  declare leftAt: number;
  /** @internal the scope's frame; set right after construction, as the frame points here too */
  declare frame: Frame | undefined;

  constructor(key: object, run: number, parent: ScopeState | undefined) {
    this.key = key;
    this.run = run;
    this.parent = parent;
    this.children = 0;
    this.leftAt = 0;
    this.frame = undefined;
  }

  exit(): void {
    if (this.leftAt !== 0) return;
    this.leftAt = LEFT_IN_ITS_RUN; // until found to have spanned an await, below
    const frame = this.frame!;
    // Marks of this scope may outlive it in a line: they must not keep its value alive.
    this.frame = undefined;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- read as "the state" below
    const state: ScopeState = this;
    // The process-wide storage: the one the scope was entered with (it is never replaced while a
    // frame is current).
    const storage = currentStorage();
    const top = storage.getStore();
    // Find the scope in this line of execution. Above it there may be exit marks (of scopes
    // stacked on it and left here) and frames of scopes left everywhere: neither carries a value.
    // `inLine` counts the scopes stacked on this one that this line went through (marked as left
    // here, or their frames): each appears at most once, as its mark replaces its frame.
    let found = false;
    let onlyMarks = true;
    let inLine = 0;
    for (let f = top; f !== undefined; f = f.parent) {
      if (f === frame) {
        found = true;
        break;
      }
      if (f.branch === f) break; // a branch made inside the scope: not this line's to leave
      const s = f.exitOf ?? f.scope;
      if (s !== undefined && s.parent === state) inLine++;
      if (f.key !== undefined || (f.exitOf === undefined && s === undefined)) onlyMarks = false;
    }
    // A scope stacked on this one in its run must be in this line: else this scope was in force in
    // another line that went on after the function that entered it suspended (SCOPE_SHARED).
    const shared = state.children !== 0 && (!found || inLine < state.children);
    if (found && inRun(state.run)) {
      // Left in the run it was entered in: it spanned no await, so only work started inside it
      // holds it, and that work keeps its values. This line goes on as before the scope.
      storage.enterWith(onlyMarks ? below(frame) : restore(top!, frame));
    } else {
      // It spanned an await: it may be in force in a caller that cannot be told apart from work
      // started inside it, so it is left everywhere (branch roots made before keep it).
      frame.key = undefined;
      state.leftAt = ++slot.epoch;
      if (found && onlyMarks) storage.enterWith(below(frame));
      else if (found && state.parent !== undefined) storage.enterWith(mark(top!, state));
    }
    if (shared) throw scopeShared((state.key as ContextVarImpl<unknown>).name);
  }

  [Symbol.dispose](): void {
    this.exit();
  }
}

/** What this line continues with once `frame`'s scope is left: its parent, marked if needed. */
function below(frame: Frame): Frame {
  const state = frame.scope!;
  return state.parent === undefined ? frame.parent! : mark(frame.parent!, state);
}

/** An exit mark of `state` on top of `top`: no value, it shows the scope was left in this line. */
function mark(top: Frame, state: ScopeState): Frame {
  return new Frame(top, undefined, undefined, top.branch, undefined, state);
}

/**
 * Leaves `frame`'s scope under frames of this line pushed since (other variables' `set()`s):
 * they stay, and the scope's variable gets back the value it had below the scope.
 */
function restore(top: Frame, frame: Frame): Frame {
  const key = frame.scope!.key;
  const before = findFrame(frame.parent, key, NO_BRANCH_ABOVE);
  const value = before === undefined ? UNSET : before.value;
  const restoring = new Frame(top, key, value, top.branch, undefined, frame.scope);
  return restoring.depth > COMPACT_DEPTH ? compact(restoring) : restoring;
}

/** No branch root lies between a scope and its own parent. */
const NO_BRANCH_ABOVE = Number.MAX_SAFE_INTEGER;

/**
 * `top` without the frames of scopes left everywhere on top of it: a new scope is entered below
 * them, so loops of `await helper()` keep a bounded chain. A left scope that was stacked on an
 * open one in its run leaves its mark instead, so the open one still sees it was left here.
 */
function skipLeft(top: Frame | undefined): Frame | undefined {
  let f = top;
  while (f !== undefined && f.scope !== undefined && f.scope.leftAt > 0) {
    if (f.scope.parent !== undefined && f.scope.parent.leftAt === 0)
      return mark(f.parent!, f.scope);
    f = f.parent;
  }
  return f;
}

function scopeShared(name: string): ContextError {
  return new ContextError(
    "SCOPE_SHARED",
    `a scope of ContextVar(${name}) was shared with code outside the function that entered it: ` +
      "another scope was entered directly on top of it in the same synchronous run and was not " +
      "left in its line of execution. An async function that enters a `using` scope before its " +
      "first await leaves that scope in force in its caller until the scope ends, and in whatever " +
      "the caller starts meanwhile (Promise.all siblings see each other's values). Run concurrent " +
      "helpers as branches of their own — gather([() => a(), () => b()]) or contextual(fn) — or " +
      "use the callback form (customContext(values, fn), ContextVar.run), or enter the scope after an await.",
  );
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
