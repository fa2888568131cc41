/**
 * The global the sandbox script-tag build (`dist/paybridge-sandbox.iife.js`,
 * `@paybridge/client/sandbox/iife`) defines: `window.PayBridgeSandbox`, the same API as
 * `import … from "@paybridge/client/sandbox"` (stand-in wallet bridges for a desktop browser).
 *
 * Bring it into scope with `/// <reference types="@paybridge/client/sandbox/iife" />`.
 */
import type * as PayBridgeSandboxApi from "../dist/sandbox.js";

declare global {
  /** Stand-in wallet bridges for trying payments in a desktop browser against the sandbox. */
  var PayBridgeSandbox: typeof PayBridgeSandboxApi;
}

export {};
