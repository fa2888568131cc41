/** The one outbound HTTP client: fetch with a hard timeout, errors mapped to the contract's codes. */
import { GatewayError, GatewayTimeoutError } from "./errors.js";
import type { GatewayHttp, GatewayRequest, GatewayResponse } from "./gateways/types.js";

export function createGatewayHttp(gateway: string, timeoutMs: number): GatewayHttp {
  return async (request: GatewayRequest): Promise<GatewayResponse> => {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(request.url, {
        method: request.method ?? "POST",
        headers: request.headers,
        body: request.body,
        signal,
        redirect: "error",
      });
      const body = await response.text();
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return { status: response.status, headers, body };
    } catch (error) {
      if (signal.aborted) throw new GatewayTimeoutError(gateway, timeoutMs);
      // The URL is configuration, not a secret, but say only the host: a path may carry a key.
      const host = safeHost(request.url);
      throw new GatewayError(gateway, `could not reach ${gateway} at ${host}`, { cause: error });
    }
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid URL)";
  }
}
