/**
 * What a scope frame (`ContextVar.enter`) knows about itself beyond its value: the synchronous
 * run it was entered in, how many scopes were entered directly on top of it in that same run, and
 * how it was left. See the README's "Scopes and async helpers" for the rules this state enforces.
 * The scope's handle carries it (one object per scope).
 */
export interface ScopeState {
  /** The variable the scope sets (its frame's key, kept when the frame turns transparent). */
  readonly key: object;
  /** The synchronous run the scope was entered in (internal/runClock.ts). */
  readonly run: number;
  /**
   * The open scope this one was entered directly on top of, in the same run: this scope must be
   * left in that scope's line of execution before it is, or it was shared (SCOPE_SHARED).
   */
  readonly parent: ScopeState | undefined;
  /** How many scopes name this one as their {@link parent}. */
  children: number;
  /**
   * 0 while the scope is open; {@link LEFT_IN_ITS_RUN} once left in the run it was entered in;
   * else the scope-exit epoch it was left everywhere at (it spanned an await): branch roots made
   * before that epoch still see it.
   */
  leftAt: number;
}

/** {@link ScopeState.leftAt} of a scope left in the run it was entered in. */
export const LEFT_IN_ITS_RUN = -1;
