/** A fault-injecting `Storage` wrapper for reliability tests. */
export { ALL_FAULT_OPERATIONS } from "./FaultPlan.js";
export type { FaultOperation, FaultPlan, FaultStats } from "./FaultPlan.js";
export { seededRandom } from "./seededRandom.js";
export { withFaults } from "./withFaults.js";
export type { FaultyStorage } from "./withFaults.js";
