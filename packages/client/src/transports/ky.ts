import ky from "ky";
import type { Transport } from "./types.js";

export interface KyTransportOptions {
  /** A fetch of your own (tests, odd environments); default the global fetch. */
  fetch?: typeof fetch | undefined;
}

/** The browser transport. No retries here (the confirmation loop does its own); ky's 10 s timeout. */
export function kyTransport(options: KyTransportOptions = {}): Transport {
  return async ({ method, url, body, headers }) => {
    const response = await ky(url, {
      method,
      json: body,
      headers,
      retry: 0,
      throwHttpErrors: false,
      fetch: options.fetch, // undefined: ky takes the global fetch
    });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  };
}
