/**
 * @flyte/custom-context against its natural limits, in the same process: entering and leaving a
 * scope against a bare `als.run`, and reading the map against a frozen-object property read.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import {
  ActionID,
  RawDataPath,
  TaskContext,
  contextualRun,
  ctx,
  internalCtx,
} from "@flyte/context-core";
import { customContext, getCustomContext } from "@flyte/custom-context";
import { compare, printTable } from "../../../tooling/bench/harness.js";

let sink = 0;
const N = 1000;
const als = new AsyncLocalStorage<{ v: number }>();
const store = { v: 1 };

// A task whose inherited map has 16 keys; each scope adds 4 (one of them an override).
const parentMap = Object.fromEntries(
  Array.from({ length: 16 }, (_, i) => [`parent.key${i}`, `value-${i}-xxxxxxxx`]),
);
const four = { "parent.key3": "override", added1: "a", added2: "bb", added3: "ccc" };
const task = new TaskContext({
  action: new ActionID({ name: "a0", runName: "bench" }),
  version: "v1",
  rawDataPath: new RawDataPath("/tmp/raw"),
  outputPath: "/tmp/out/a0",
  runBaseDir: "/tmp/out",
  mode: "local",
  customContext: parentMap,
});
const inTask = <R>(fn: () => R): R =>
  contextualRun(() => internalCtx().replaceTaskContext(task).run(fn));

const bodyAls = () => als.getStore()!.v;
const bodyScope = () => 1;

const scopeCallback = inTask(() => () => {
  for (let i = 0; i < N; i++) sink = (sink + customContext(four, bodyScope)) | 0;
});
// The same scope as a frozen constant (`const TAGS = Object.freeze({...})`): checked once, and
// the Context it makes over this task is remembered.
const fourFrozen = Object.freeze({ ...four });
const scopeFrozenCallback = inTask(() => () => {
  for (let i = 0; i < N; i++) sink = (sink + customContext(fourFrozen, bodyScope)) | 0;
});
const scopeFrozenUsing = inTask(() => () => {
  for (let i = 0; i < N; i++) {
    using _ = customContext(fourFrozen);
    sink = (sink + 1) | 0;
  }
});
const scopeUsing = inTask(() => () => {
  for (let i = 0; i < N; i++) {
    using _ = customContext(four);
    sink = (sink + 1) | 0;
  }
});
// New values on every entry: nothing can be reused, the merged map and TaskContext are built.
const distinct = Array.from({ length: N }, (_, i) => ({ ...four, added1: `a${i}` }));
const scopeCold = inTask(() => () => {
  for (let i = 0; i < N; i++) sink = (sink + customContext(distinct[i]!, bodyScope)) | 0;
});
// The floor context-core sets: making a ready Context current (no custom context work at all).
const readyContext = inTask(() => internalCtx().replaceTaskContext(task));
const contextRun = () => {
  for (let i = 0; i < N; i++) sink = (sink + readyContext.run(bodyScope)) | 0;
};
const contextEnter = () => {
  for (let i = 0; i < N; i++) {
    using _ = readyContext.enter();
    sink = (sink + 1) | 0;
  }
};
const bareRun = () => {
  for (let i = 0; i < N; i++) sink = (sink + als.run(store, bodyAls)) | 0;
};

// Reads: the map of a task inside a scope (so the lookup walks past the scope's frame).
const frozen = Object.freeze({ ...parentMap, ...four });
const readGet = () => {
  for (let i = 0; i < N; i++) sink = (sink + getCustomContext()["added1"]!.length) | 0;
};
const readCtx = () => {
  for (let i = 0; i < N; i++) sink = (sink + ctx()!.customContext["added1"]!.length) | 0;
};
const readFrozen = () => {
  for (let i = 0; i < N; i++) sink = (sink + frozen["added1"].length) | 0;
};
const readAls = () => {
  for (let i = 0; i < N; i++) sink = (sink + als.getStore()!.v) | 0;
};
const inScope = <R>(fn: () => R): R => inTask(() => customContext(four, fn));
const inAls = <R>(fn: () => R): R => als.run(store, fn);

const results = await compare([
  {
    name: "enter + leave a 4-key scope over 16 keys, callback form (×1000)",
    target: "≤ 3×",
    baseline: { name: "als.run(store, fn)", fn: bareRun },
    subject: { name: "customContext(values, fn)", fn: () => inTask(scopeCallback) },
  },
  {
    name: "enter + leave a 4-key scope over 16 keys, using form (×1000)",
    target: "≤ 3×",
    baseline: { name: "als.run(store, fn)", fn: bareRun },
    subject: { name: "using _ = customContext(values)", fn: () => inTask(scopeUsing) },
  },
  {
    name: "enter + leave a 4-key scope over 16 keys, frozen values object, callback form (×1000)",
    target: "≤ 3×",
    baseline: { name: "als.run(store, fn)", fn: bareRun },
    subject: { name: "customContext(FROZEN, fn)", fn: () => inTask(scopeFrozenCallback) },
  },
  {
    name: "enter + leave a 4-key scope over 16 keys, frozen values object, using form (×1000)",
    target: "≤ 3×",
    baseline: { name: "als.run(store, fn)", fn: bareRun },
    subject: { name: "using _ = customContext(FROZEN)", fn: () => inTask(scopeFrozenUsing) },
  },
  {
    name: "enter + leave, new values each time (×1000)",
    target: "≤ 3×",
    baseline: { name: "als.run(store, fn)", fn: bareRun },
    subject: { name: "customContext(values_i, fn)", fn: () => inTask(scopeCold) },
  },
  {
    name: "floor: context-core's Context.run of a ready Context (×1000)",
    target: "(info)",
    baseline: { name: "als.run(store, fn)", fn: bareRun },
    subject: { name: "readyContext.run(fn)", fn: () => inTask(contextRun) },
  },
  {
    name: "floor: context-core's Context.enter()/exit (×1000)",
    target: "(info)",
    baseline: { name: "als.run(store, fn)", fn: bareRun },
    subject: { name: "using _ = readyContext.enter()", fn: () => inTask(contextEnter) },
  },
  {
    name: "read one key of the custom context in a task (×1000)",
    target: "≤ 2×",
    baseline: { name: "frozen[key] (module-level object)", fn: readFrozen },
    subject: { name: "getCustomContext()[key]", fn: () => inScope(readGet) },
  },
  {
    name: "read one key, against the cheapest context read (×1000)",
    target: "≤ 2×",
    baseline: { name: "als.getStore().v", fn: () => inAls(readAls) },
    subject: { name: "getCustomContext()[key]", fn: () => inScope(readGet) },
  },
  {
    name: "read one key, against ctx().customContext (×1000)",
    target: "≤ 1.1×",
    baseline: { name: "ctx().customContext[key]", fn: () => inScope(readCtx) },
    subject: { name: "getCustomContext()[key]", fn: () => inScope(readGet) },
  },
]);
printTable("@flyte/custom-context vs raw AsyncLocalStorage and a frozen object", results);
if (sink === 42) console.log("");
