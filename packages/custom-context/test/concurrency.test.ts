import fc from "fast-check";
import { contextualRun } from "@flyte/context-core";
import { customContext, getCustomContext } from "@flyte/custom-context";
import { runRootTask, task } from "./support/taskHarness.js";

const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,11}$/);
const value = fc.string({ maxLength: 12, unit: "grapheme" });
const map = fc.dictionary(key, value, { maxKeys: 6 });

/** A child that reads its custom context after some random hops (timers and microtasks). */
const child = task(
  async (_i: number, _hops: number) => ({ ...getCustomContext() }),
  (_i, hops) => hops,
);

describe("concurrency", () => {
  it("hundreds of children under different scopes each see the map in force at their call", async () => {
    await fc.assert(
      fc.asyncProperty(
        map,
        fc.array(fc.tuple(map, map, fc.nat({ max: 4 }), fc.boolean()), {
          minLength: 100,
          maxLength: 300,
        }),
        async (inherited, calls) => {
          const results = await runRootTask(async () => {
            const pending: Array<Promise<Record<string, string>>> = [];
            const expected: Array<Record<string, string>> = [];
            for (let i = 0; i < calls.length; i++) {
              const [outer, inner, hops, callback] = calls[i]!;
              expected.push({ ...inherited, ...outer, ...inner });
              if (callback) {
                // Callback form, with an await before the call: the call still sees its scopes.
                pending.push(
                  customContext(outer, () =>
                    customContext(inner, async () => {
                      await Promise.resolve();
                      return child(i, hops);
                    }),
                  ),
                );
              } else {
                using _o = customContext(outer);
                using _i = customContext(inner);
                pending.push(child(i, hops));
              }
              // Between calls the parent's own map is back to what it inherited.
              expect(getCustomContext()).toEqual(inherited);
            }
            const seen = await Promise.all(pending);
            return { seen, expected };
          }, inherited);
          expect(results.seen).toEqual(results.expected);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("Promise.all over branches with their own scopes: siblings never see each other's", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(map, fc.nat({ max: 3 })), { minLength: 2, maxLength: 40 }),
        async (branches) => {
          await runRootTask(async () => {
            const seen = await Promise.all(
              branches.map(([values, hops], i) =>
                contextualRun(async () => {
                  using _ = customContext({ ...values, branch: String(i) });
                  for (let h = 0; h < hops; h++) await new Promise((r) => setImmediate(r));
                  // A second scope mid-flight, then a child call and a read after it.
                  using _2 = customContext({ late: String(i) });
                  const fromChild = await child(i, hops);
                  return { mine: { ...getCustomContext() }, fromChild };
                }),
              ),
            );
            seen.forEach(({ mine, fromChild }, i) => {
              const expected = { ...branches[i]![0], branch: String(i), late: String(i) };
              expect(mine).toEqual(expected);
              expect(fromChild).toEqual(expected);
            });
            expect(getCustomContext()).toEqual({});
          });
        },
      ),
      { numRuns: 25 },
    );
  });
});
