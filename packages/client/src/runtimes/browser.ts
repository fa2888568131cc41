import { PayClient, type PayClientOptions as CoreOptions } from "../pay-client.js";
import { kyTransport } from "../transports/ky.js";
import { defaultRuntime } from "./default.js";
import type { PayClientRuntime } from "./types.js";

export interface PayClientOptions extends CoreOptions {
  /** The fetch ky uses when no transport is given (tests, odd environments). */
  fetch?: typeof fetch | undefined;
}

/**
 * A browser page's runtime: the window's globals, HTTP by ky. Every launcher: the module build
 * is also bundled into mini-program pages (which pass a `wxTransport()` / `myTransport()`).
 */
export function browserRuntime(options: PayClientOptions): PayClientRuntime {
  return { ...defaultRuntime, transport: () => kyTransport({ fetch: options.fetch }) };
}

/** The browser client: HTTP by ky unless a transport is given. */
export function createPayClient(options: PayClientOptions): PayClient {
  return new PayClient(options, browserRuntime(options));
}
