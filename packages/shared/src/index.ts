export * from "./contract.js";
export * from "./money.js";
