/**
 * One immutable link of the context: a variable and its value, on top of the parent frame.
 * Setting a variable pushes a frame (O(1)); nothing is ever copied.
 *
 * Each frame also carries a one-entry lookup memo. Reading the innermost variable is a single
 * comparison; reading an outer one walks the chain once and then hits the memo, so repeated
 * reads of any variable stay O(1). The memo lives in the frame, so it dies with the frame and
 * keeps nothing alive after a task ends.
 */
export class Frame {
  /** The frame that opened this frame's branch (itself for a branch root). Tokens are checked against it. */
  readonly branch: Frame;
  /** Links below this one, used to compact long chains of `set()`s. */
  readonly depth: number;
  /** A scope frame (`ContextVar.enter`): never copied by compaction, made transparent on exit. */
  readonly scope: boolean;
  /** @internal one-entry memo of the last outer lookup made through this frame */
  memoKey: object | undefined = undefined;
  /** @internal */
  memoValue: unknown = undefined;
  /** @internal the scope-exit epoch the memo was made in (see {@link StorageSlot.epoch}) */
  memoEpoch = 0;

  constructor(
    readonly parent: Frame | undefined,
    /**
     * The variable this frame sets, or `undefined` for a branch marker. The only field that ever
     * changes: a scope frame's key is cleared when the scope exits, which turns the frame into a
     * marker for every continuation that captured it.
     */
    public key: object | undefined,
    readonly value: unknown,
    branch: Frame | undefined,
    scope = false,
  ) {
    this.branch = branch ?? this;
    this.depth = parent === undefined ? 0 : parent.depth + 1;
    this.scope = scope;
  }
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
  // Stop at the first scope frame: it must stay the very object its scope will exit.
  for (; f !== undefined && !f.scope; f = f.parent) {
    if (f.key !== undefined && !seen.has(f.key)) {
      seen.add(f.key);
      kept.push(f);
    }
  }
  let chain: Frame | undefined = f;
  for (let i = kept.length - 1; i >= 0; i--) {
    const f = kept[i]!;
    chain = new Frame(chain, f.key, f.value, top.branch);
  }
  // `top` sets a variable, so `kept` is never empty.
  return chain!;
}
