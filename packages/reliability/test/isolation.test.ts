/**
 * Isolation under load: 10,000 concurrent child tasks, each with a fast-check generated life of
 * microtask chains, timers, immediates, nested custom-context scopes (the callback form, and
 * `using` entered before or after the helper's first await), `gather` over helpers that each
 * open a `using` scope before their first await, grandchild tasks and planned first-attempt
 * failures, each checking after every step that it still sees only its own ActionID, attempt and
 * custom context. Then the heap must return to its baseline and a task's context object must be
 * collectable.
 */
import fc from "fast-check";
import {
  NonRecoverableError,
  TaskEnvironment,
  ctx,
  customContext,
  dropMemoryVolume,
  gather,
  getCustomContext,
  init,
  withRunContext,
} from "@flyte/sdk";
import { forceGc } from "./support/forceGc.js";
import { SEED, scale, timeout } from "./support/suiteScale.js";

const TASKS = scale("FLYTE_RELIABILITY_TASKS", 10_000, 10_000);
const MiB = 1024 * 1024;

type Step =
  | { kind: "micro"; n: number }
  | { kind: "timer"; ms: number }
  | { kind: "immediate" }
  | { kind: "scope"; depth: number; form: "using" | "using-early" | "callback" }
  | { kind: "gather"; width: number }
  | { kind: "grandchild" };

interface Life {
  readonly tag: string;
  readonly steps: readonly Step[];
  readonly failFirst: boolean;
}

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("micro" as const), n: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant("timer" as const), ms: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant("immediate" as const) }),
  fc.record({
    kind: fc.constant("scope" as const),
    depth: fc.integer({ min: 1, max: 4 }),
    form: fc.constantFrom("using" as const, "using-early" as const, "callback" as const),
  }),
  fc.record({ kind: fc.constant("gather" as const), width: fc.integer({ min: 2, max: 4 }) }),
  fc.record({ kind: fc.constant("grandchild" as const) }),
);
const lifeArb: fc.Arbitrary<Life> = fc.record({
  tag: fc.stringMatching(/^[a-z0-9]{1,10}$/),
  steps: fc.array(stepArb, { maxLength: 5 }),
  failFirst: fc.boolean().chain((b) => (b ? fc.boolean().map((c) => c && b) : fc.constant(false))), // ~25%
});

const env = new TaskEnvironment({ name: "iso" });

function cross(what: string): never {
  // Non-recoverable: a cross-talk must fail the run at once, not be retried away.
  throw new NonRecoverableError(`cross-talk: ${what}`);
}

function sameValues(
  seen: Readonly<Record<string, string>>,
  want: Readonly<Record<string, string>>,
): boolean {
  const a = Object.keys(seen);
  return a.length === Object.keys(want).length && a.every((k) => seen[k] === want[k]);
}

/** Weak references to context objects, filled by the children that are asked to. */
const weakContexts: Array<WeakRef<object>> = [];

/** Every grandchild's action name: two grandchildren answering with one name is a cross-talk. */
const grandchildNames = new Set<string>();
/** Each leaf's action name on its first attempt: a retry must run under the same name. */
const firstAttemptNames = new Map<number, string>();

const grand = env.task(async function grand(
  token: string,
  expected: Readonly<Record<string, string>>,
) {
  const me = ctx()!;
  const name = me.action.name;
  await new Promise((r) => setImmediate(r));
  if (ctx() !== me) cross("grandchild sees another TaskContext after an await");
  if (ctx()!.action.name !== name) cross(`grandchild ${token} renamed after an await`);
  if (me.attemptNumber !== 0) cross(`grandchild attempt ${me.attemptNumber}`);
  if (!sameValues(getCustomContext(), expected))
    cross(
      `grandchild sees ${JSON.stringify(getCustomContext())}, expected ${JSON.stringify(expected)}`,
    );
  return { token, name };
});

const leaf = env.task(
  { retries: 1 },
  async function leaf(i: number, life: Life, keepWeak: boolean) {
    const me = ctx()!;
    // Names are Python's content hashes (parent, inputs, task, call order), so the test does not
    // predict them: it holds each task to the name it started with, across awaits and retries.
    const name = me.action.name;
    const attempt = me.attemptNumber;
    const first = firstAttemptNames.get(i);
    if (attempt === 0) firstAttemptNames.set(i, name);
    else if (first !== name) cross(`task ${i} retried as ${name}, first attempt ran as ${first}`);
    if (keepWeak) weakContexts.push(new WeakRef(me));
    const base = { tenant: `${i}:${life.tag}` };
    let grandchildren = 0;
    const check = (want: Readonly<Record<string, string>>, where: string): void => {
      // A scope gives the task a new TaskContext (with the new custom context); the action, run
      // and attempt must stay this task's.
      const now = ctx();
      if (now === undefined) cross(`task ${i} sees no TaskContext ${where}`);
      if (now.action.runName !== me.action.runName)
        cross(`task ${i} sees run ${now.action.runName} ${where}`);
      if (now.action.name !== name)
        cross(`task ${i} named ${now.action.name} ${where}, expected ${name}`);
      if (now.attemptNumber !== attempt) cross(`task ${i} attempt changed ${where}`);
      const seen = getCustomContext();
      if (!sameValues(seen, want))
        cross(`task ${i} sees ${JSON.stringify(seen)} ${where}, expected ${JSON.stringify(want)}`);
    };
    const runSteps = async (
      steps: readonly Step[],
      want: Readonly<Record<string, string>>,
    ): Promise<void> => {
      for (const [s, step] of steps.entries()) {
        const where = `at step ${s} (${step.kind})`;
        check(want, `before ${where}`);
        switch (step.kind) {
          case "micro":
            for (let n = 0; n < step.n; n++) await Promise.resolve();
            break;
          case "timer":
            await new Promise((r) => setTimeout(r, step.ms));
            break;
          case "immediate":
            await new Promise((r) => setImmediate(r));
            break;
          case "grandchild": {
            const token = `${i}.${attempt}.${grandchildren++}`;
            const answer = await grand(token, want);
            if (answer.token !== token) cross(`task ${i} got another grandchild's answer`);
            if (grandchildNames.has(answer.name))
              cross(`grandchild ${token} shares the name ${answer.name} with another`);
            grandchildNames.add(answer.name);
            break;
          }
          case "gather": {
            // Helpers side by side, each opening a scope before its first await: gather runs
            // each in a branch of its own, so none sees another's key.
            const got = await gather(
              Array.from({ length: step.width }, (_, j) => async () => {
                const key = `g${j}`;
                const mine = { ...want, [key]: `${i}.${s}.${j}` };
                using _ = customContext({ [key]: mine[key]! });
                check(mine, `in gather branch ${j} ${where}`);
                await new Promise((r) => (j % 2 === 0 ? setImmediate(r) : setTimeout(r, j)));
                check(mine, `in gather branch ${j} after an await ${where}`);
                return j;
              }),
            );
            if (got.join() !== Array.from({ length: step.width }, (_, j) => j).join())
              cross(`task ${i} got gather results ${got.join()} ${where}`);
            break;
          }
          case "scope": {
            // Nested scopes down to `depth`, each adding a key and awaiting inside.
            const nest = async (
              d: number,
              inner: Readonly<Record<string, string>>,
            ): Promise<void> => {
              if (d > step.depth) return;
              const add = { [`k${d}`]: `${i}.${s}.${d}` };
              const merged = { ...inner, ...add };
              if (step.form === "callback") {
                await customContext(add, async () => {
                  check(merged, `in scope ${d} ${where}`);
                  await new Promise((r) => setImmediate(r));
                  check(merged, `in scope ${d} after an await ${where}`);
                  await nest(d + 1, merged);
                  check(merged, `back in scope ${d} ${where}`);
                });
              } else {
                // "using-early" enters before the helper's first await: the scope is in force in
                // the caller (which only awaits the helper) until it ends, then left everywhere.
                if (step.form === "using") await Promise.resolve();
                using _ = customContext(add);
                check(merged, `in scope ${d} ${where}`);
                await new Promise((r) => setTimeout(r, 0));
                check(merged, `in scope ${d} after a timer ${where}`);
                await nest(d + 1, merged);
                check(merged, `back in scope ${d} ${where}`);
              }
              check(inner, `after leaving scope ${d} ${where}`);
            };
            await nest(1, want);
            break;
          }
        }
        check(want, `after ${where}`);
      }
    };
    await runSteps(life.steps, base);
    if (life.failFirst && attempt === 0) throw new Error(`planned failure of task ${i}`);
    return { i, name, attempt };
  },
);

const fanOut = env.task(async function fanOut(lives: readonly Life[], weakEvery: number) {
  const calls = lives.map((life, i) =>
    customContext({ tenant: `${i}:${life.tag}` }, () => leaf(i, life, i % weakEvery === 0)),
  );
  const results = await Promise.all(calls);
  // Nothing a child did may have reached its parent.
  if (ctx()?.action.name !== "a0")
    cross(`the parent sees action ${ctx()?.action.name} after its children`);
  if (Object.keys(getCustomContext()).length !== 0)
    cross(`the parent sees ${JSON.stringify(getCustomContext())} after its children`);
  return results;
});

let runs = 0;

async function runLives(lives: readonly Life[], weakEvery: number): Promise<number> {
  // A shrunk run may repeat an earlier run's calls, and so its names: each run starts afresh.
  grandchildNames.clear();
  firstAttemptNames.clear();
  // Each run writes to a memory volume of its own, dropped afterwards: what the run stored is
  // data the user asked to keep, not a leak; the heap check is about what the SDK holds on to.
  const volume = `reliability-isolation-${++runs}`;
  let results;
  try {
    results = await withRunContext({ name: "iso", rawDataPath: `memory://${volume}` }).run(
      fanOut,
      lives,
      weakEvery,
    );
  } finally {
    dropMemoryVolume(volume);
  }
  expect(results).toHaveLength(lives.length);
  let retried = 0;
  results.forEach((r, i) => {
    expect(r.i).toBe(i);
    expect(r.name).toBe(firstAttemptNames.get(i));
    expect(r.attempt).toBe(lives[i]!.failFirst ? 1 : 0);
    if (r.attempt === 1) retried++;
  });
  expect(new Set(results.map((r) => r.name)).size).toBe(lives.length);
  return retried;
}

beforeAll(() => init({ rawDataPath: "memory://reliability-isolation" }));

describe("isolation under load", () => {
  it(
    "holds for fast-check generated groups of concurrent tasks (shrinks to the smallest cross-talk)",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(lifeArb, { minLength: 1, maxLength: 150 }), async (lives) => {
          await runLives(lives, Number.MAX_SAFE_INTEGER);
        }),
        { seed: SEED, numRuns: scale("FLYTE_RELIABILITY_ISO_RUNS", 15, 100) },
      );
    },
    timeout(120_000),
  );

  it(
    `holds for ${TASKS} concurrent tasks, and the heap returns to its baseline afterwards`,
    async () => {
      const lives = fc.sample(lifeArb, { seed: SEED, numRuns: TASKS });
      // Warm up (code loaded, JIT, caches) so the baseline is the steady state.
      await runLives(lives.slice(0, 500), Number.MAX_SAFE_INTEGER);
      const baseline = await forceGc();
      weakContexts.length = 0;
      const retried = await runLives(lives, 1000);
      const peak = process.memoryUsage().heapUsed;
      const after = await forceGc();
      const alive = weakContexts.filter((w) => w.deref() !== undefined).length;
      console.log(
        `isolation: ${TASKS} tasks (${retried} retried once, ${lives.reduce((n, l) => n + l.steps.length, 0)} steps), seed ${SEED}; ` +
          `heap baseline ${(baseline / MiB).toFixed(1)} MiB, peak ${(peak / MiB).toFixed(1)} MiB, after ${(after / MiB).toFixed(1)} MiB; ` +
          `${alive}/${weakContexts.length} watched contexts still alive`,
      );
      expect(weakContexts.length).toBeGreaterThan(0);
      expect(alive).toBe(0);
      expect(after).toBeLessThanOrEqual(baseline + 10 * MiB);
    },
    timeout(180_000),
  );
});
