import { storageSlot } from "./ContextStorage.js";
import type { ScopeState } from "./ScopeState.js";

const slot = storageSlot();

/**
 * One immutable link of the context: a variable and its value, on top of the parent frame.
 * Setting a variable pushes a frame (O(1)); nothing is ever copied.
 *
 * Four kinds share this one class (one object shape keeps the hot reads monomorphic):
 * - a **set** frame (`ContextVar.set`/`reset`), inside its parent's branch;
 * - a **branch root** (`ContextVar.run`, `contextualRun`, `copyContext`): `branch === this`;
 * - a **scope** frame (`ContextVar.enter`), with a {@link ScopeState};
 * - an **exit mark**: no value, it records that a scope was left in this line of execution.
 *
 * Each frame also carries a one-entry lookup memo. Reading the innermost variable is a single
 * comparison; reading an outer one walks the chain once and then hits the memo, so repeated
 * reads of any variable stay O(1). The memo lives in the frame, so it dies with the frame and
 * keeps nothing alive after a task ends.
 */
export class Frame {
  /**
   * The variable this frame sets, or `undefined` for a branch marker or an exit mark. The only
   * field that ever changes: a scope frame's key is cleared when the scope is left everywhere,
   * which turns the frame into a marker for every continuation that captured it.
   */
  declare key: object | undefined;
  declare readonly value: unknown;
  declare readonly parent: Frame | undefined;
  /** The frame that opened this frame's branch (itself for a branch root). Tokens are checked against it. */
  declare readonly branch: Frame;
  /** Links below this one, used to compact long chains of `set()`s. */
  declare readonly depth: number;
  /** For a scope frame: its state (open, left, by whom it must be left first). */
  declare readonly scope: ScopeState | undefined;
  /** For an exit mark: the scope whose exit in this line of execution it records. */
  declare readonly exitOf: ScopeState | undefined;
  /**
   * For a branch root: the scope-exit epoch when it was made. A scope left everywhere at a later
   * epoch stays visible through this branch: a branch keeps the context it was started in.
   */
  declare readonly born: number;
  /** @internal one-entry memo of the last outer lookup made through this frame */
  declare memoKey: object | undefined;
  /** @internal */
  declare memoValue: unknown;
  /** @internal the scope-exit epoch the memo was made in (see {@link StorageSlot.epoch}) */
  declare memoEpoch: number;

  // Fields are declared, not initialised, and assigned here in one order: V8 then makes every
  // frame with one shape in one step (a class field initialiser would define, then assign).
  constructor(
    parent: Frame | undefined,
    key: object | undefined,
    value: unknown,
    branch: Frame | undefined,
    scope?: ScopeState,
    exitOf?: ScopeState,
  ) {
    this.key = key;
    this.value = value;
    this.parent = parent;
    this.branch = branch ?? this;
    this.depth = parent === undefined ? 0 : parent.depth + 1;
    this.scope = scope;
    this.exitOf = exitOf;
    this.born = branch === undefined ? slot.epoch : 0;
    this.memoKey = undefined;
    this.memoValue = undefined;
    this.memoEpoch = 0;
  }
}

/** `born` of "no branch root passed yet": no scope left everywhere is visible from here. */
export const NO_BRANCH = Number.MAX_SAFE_INTEGER;

/**
 * The frame that gives `key` its value, walking down from `start`. `branchBorn` is the `born` of
 * the nearest branch root above `start` ({@link NO_BRANCH} when there is none). A scope frame
 * that was left everywhere still counts when a branch root made before it was left lies between
 * the reader and it: that branch captured the scope while it was open.
 */
export function findFrame(
  start: Frame | undefined,
  key: object,
  branchBorn: number,
): Frame | undefined {
  for (let f = start; f !== undefined; f = f.parent) {
    if (f.key === key) return f;
    const s = f.scope;
    if (s !== undefined && s.key === key && s.leftAt > branchBorn) return f;
    if (f.branch === f) branchBorn = f.born;
  }
  return undefined;
}

/** `born` to start a lookup below `top` with: `top`'s own when it is a branch root. */
export function bornAbove(top: Frame): number {
  return top.branch === top ? top.born : NO_BRANCH;
}

/** Above this depth a `set()` rebuilds the chain with one frame per variable. */
export const COMPACT_DEPTH = 64;

/**
 * Rebuilds `top`'s chain keeping only the newest value of each variable, inside `top`'s branch.
 * Called rarely (once per {@link COMPACT_DEPTH} sets in one branch), so loops of `set()` keep
 * bounded memory and lookup cost.
 */
export function compact(top: Frame): Frame {
  const seen = new Set<object>();
  const kept: Frame[] = [];
  let f: Frame | undefined = top;
  // Stop at the first scope frame or exit mark: a scope must stay the very object its scope will
  // exit, and a mark is what shows that a scope was left in this line.
  for (; f !== undefined && f.scope === undefined && f.exitOf === undefined; f = f.parent) {
    if (f.key !== undefined && !seen.has(f.key)) {
      seen.add(f.key);
      kept.push(f);
    }
  }
  if (kept.length === 0) return top;
  let chain: Frame | undefined = f;
  for (let i = kept.length - 1; i >= 0; i--) {
    const k = kept[i]!;
    chain = new Frame(chain, k.key, k.value, top.branch);
  }
  return chain!;
}
