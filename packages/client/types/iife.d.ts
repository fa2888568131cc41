/**
 * The global the script-tag build (`dist/paybridge.iife.js`, `@paybridge/client/iife`) defines:
 * `window.PayBridge`: the browser part of `import … from "@paybridge/client"` (createPayClient,
 * PayClient, PayError, detectEnvironment, kyTransport); the mini-program pieces are not in it.
 *
 * In a TypeScript project that loads the script by tag, bring the global into scope with
 * `/// <reference types="@paybridge/client/iife" />` (or list it in `compilerOptions.types`).
 * Importing the file from a bundler defines no global; import "@paybridge/client" there instead.
 */
import type * as PayBridgeApi from "../dist/index.js";

declare global {
  /** The paybridge browser client (`PayBridge.createPayClient({ endpoint })`). */
  var PayBridge: Pick<typeof PayBridgeApi, "createPayClient" | "PayClient" | "PayError" | "detectEnvironment" | "kyTransport">;
}

export {};
