/**
 * Transitional: the contract moved to contract.ts. The core's files outside src/gateways still
 * import this path; they switch to contract.ts in their re-layering, then this file goes.
 */
export type * from "./contract.js";
