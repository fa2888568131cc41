import { PayClient as CorePayClient, type PayClientOptions as CoreOptions } from "./client.js";
import { kyTransport } from "./transports/ky.js";

export interface PayClientOptions extends CoreOptions {
  /** The fetch ky uses when no transport is given (tests, odd environments). */
  fetch?: typeof fetch | undefined;
}

/** The browser client: HTTP by ky unless a transport is given. */
export class PayClient extends CorePayClient {
  constructor(options: PayClientOptions) {
    super({ ...options, transport: options.transport || kyTransport({ fetch: options.fetch }) });
  }
}

export function createPayClient(options: PayClientOptions): PayClient {
  return new PayClient(options);
}
