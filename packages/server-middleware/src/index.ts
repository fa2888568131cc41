/** @paybridge/server-middleware: the public API. Entry point: it only re-exports. */
export * from "./exports.js";
export { paybridge, type PaybridgeRouter, type PaybridgeOptions, type ResolveOrderInput } from "./express.js";
