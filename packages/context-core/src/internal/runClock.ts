/**
 * Which synchronous run of JavaScript is executing: the stretch of code between two points where
 * the stack is empty (a macrotask, a tick, one microtask and what it calls synchronously). A
 * scope needs it for two questions: was it left in the run it was entered in (then it spanned no
 * `await`, so no caller can have seen it), and was another scope entered directly on top of it in
 * its own run (then the two must be left along one line of execution).
 *
 * A run opens at the first scope operation in it and is closed by a microtask queued then; every
 * job that could hold a frame of the run is queued after that microtask and so starts a new run.
 * Jobs that run before the microtask (Node's ticks, or a macrotask) are told apart by the job id
 * the Node entry installs (`executionAsyncId`). The microtask is queued through a native promise,
 * which fake timers (that replace `queueMicrotask` and `process.nextTick`) do not intercept.
 *
 * Two runs can be taken for one only when the later one was queued before the first scope
 * operation of the earlier one, so it holds none of its frames and cannot tell. One run can be
 * taken for two (`AsyncResource.runInAsyncScope` changes the job id): a scope left inside then
 * counts as having spanned an await, which is the safe reading.
 */
import { storageSlot } from "./ContextStorage.js";

const slot = storageSlot();
const settled = Promise.resolve();

function closeRun(): void {
  slot.runOpen = false;
}

/** The id of the run now executing; opens one (and queues its close) if none is open. */
export function currentRun(): number {
  const job = slot.jobId === undefined ? 0 : slot.jobId();
  if (!slot.runOpen) {
    slot.runOpen = true;
    void settled.then(closeRun);
  } else if (slot.runJob === job) {
    return slot.run;
  }
  slot.runJob = job;
  return ++slot.run;
}

/** Whether `run` is the run now executing. */
export function inRun(run: number): boolean {
  return (
    slot.runOpen && slot.run === run && (slot.jobId === undefined || slot.runJob === slot.jobId())
  );
}
