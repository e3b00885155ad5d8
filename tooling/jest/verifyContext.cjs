/**
 * Every test suite runs with @flyte/context-core's getStore() memo checked against the real
 * AsyncLocalStorage on each hit (FLYTE_CONTEXT_VERIFY=1): a memo that ever disagreed would throw
 * in whatever test met it, including the subprocesses tests start (they inherit the env).
 */
process.env.FLYTE_CONTEXT_VERIFY ??= "1";
