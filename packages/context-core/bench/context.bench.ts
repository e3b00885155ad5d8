/**
 * @flyte/context-core against its limit, raw AsyncLocalStorage, in the same process.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { ContextVar, contextualRun, ctx } from "@flyte/context-core";
import { compare, printTable } from "../../../tooling/bench/harness.js";

let sink = 0;
const als = new AsyncLocalStorage<{ v: number }>();
const store = { v: 1 };

// Nine variables set in one branch: vars[0] outermost, vars[8] innermost.
const vars = Array.from({ length: 9 }, (_, i) => new ContextVar<number>(`v${i}`));
function inNine<R>(fn: () => R): R {
  const nest = (i: number): R =>
    i === vars.length ? fn() : vars[i]!.run(i + 1, () => nest(i + 1));
  return nest(0);
}

const N = 1000;
const getLoopBaseline = () =>
  als.run(store, () => () => {
    for (let i = 0; i < N; i++) sink = (sink + als.getStore()!.v) | 0;
  });
const getLoop = (v: ContextVar<number>) =>
  inNine(() => () => {
    for (let i = 0; i < N; i++) sink = (sink + v.get()!) | 0;
  });

// The loops must run inside their context, so each bench fn re-enters it once per batch.
const baseGet = getLoopBaseline();
const innermost = getLoop(vars[8]!);
const outermost = getLoop(vars[0]!);
const inAls = <R>(fn: () => R) => als.run(store, fn);

const workAls = () => als.getStore()!.v;
const one = new ContextVar<number>("one");
const workVar = () => one.get()!;

const awaitCount = 200;
const f = async (x: number) => x + 1;
async function awaitLoop(): Promise<void> {
  for (let i = 0; i < awaitCount; i++) sink = (sink + (await f(i))) | 0;
}

const results = await compare([
  {
    name: "get(), innermost of 9 vars (×1000)",
    target: "≤ 1.3×",
    baseline: { name: "als.getStore().v", fn: () => inAls(baseGet) },
    subject: { name: "ContextVar.get()", fn: () => inNine(innermost) },
  },
  {
    name: "get(), outermost of 9 vars (×1000)",
    target: "≤ 1.6×",
    baseline: { name: "als.getStore().v", fn: () => inAls(baseGet) },
    subject: { name: "ContextVar.get()", fn: () => inNine(outermost) },
  },
  {
    name: "run(v, fn) + get() (×1000)",
    target: "≤ 1.6×",
    baseline: {
      name: "als.run(store, fn) + getStore()",
      fn: () => {
        for (let i = 0; i < N; i++) sink = (sink + als.run(store, workAls)) | 0;
      },
    },
    subject: {
      name: "ContextVar.run(v, fn) + get()",
      fn: () => {
        for (let i = 0; i < N; i++) sink = (sink + one.run(i, workVar)) | 0;
      },
    },
  },
  {
    name: "await inside a branch (×200 awaits)",
    target: "≤ 1.1×",
    baseline: { name: "await in bare als.run", fn: () => als.run(store, awaitLoop) },
    subject: {
      name: "await in contextualRun + 9 vars",
      fn: () => inNine(() => contextualRun(awaitLoop)),
    },
  },
  {
    name: "ctx() outside any task (×1000)",
    target: "≤ 1.0×",
    baseline: {
      name: "als.getStore() (no store)",
      fn: () => {
        for (let i = 0; i < N; i++) sink = (sink + (als.getStore() === undefined ? 1 : 0)) | 0;
      },
    },
    subject: {
      name: "ctx()",
      fn: () => {
        for (let i = 0; i < N; i++) sink = (sink + (ctx() === undefined ? 1 : 0)) | 0;
      },
    },
  },
]);
printTable("@flyte/context-core vs raw AsyncLocalStorage", results);
if (sink === 42) console.log("");
